export { startTestRedis, type TestRedis } from './redis-server.js';
