export { createApp, type AppOptions } from './app.js';
export { envSchema, parseEnv, type Env } from './env.js';
export { startServer, type RunningServer } from './server.js';
