import { stopOnSignals } from '@mlrpc/engine';
import { parseEnv } from './env.js';
import { createLogger } from './logger.js';
import { startServer } from './server.js';

let env;
try {
  env = parseEnv();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
const logger = createLogger(env);
try {
  const server = await startServer(env, logger);
  logger.info({ url: server.url, modelsConfig: env.MODELS_CONFIG }, 'mlrpc server listening');
  stopOnSignals(logger, (signal) => {
    // An orchestrator's SIGTERM gets a drain period; a Ctrl-C at a terminal does not.
    const drainMs = signal === 'SIGTERM' ? env.SHUTDOWN_DRAIN_MS : 0;
    logger.info({ signal, drainMs, graceMs: env.SHUTDOWN_GRACE_MS }, 'shutting down');
    return server.close({ drainMs });
  });
} catch (error) {
  logger.fatal({ err: error }, 'server failed to start');
  process.exit(1);
}
