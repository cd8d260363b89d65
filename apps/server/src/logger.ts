import { pino, type Logger } from 'pino';
import type { Env } from './env.js';

/** One JSON logger for the process; request loggers are children carrying the request id. */
export function createLogger(env: Pick<Env, 'LOG_LEVEL'>): Logger {
  return pino({ level: env.LOG_LEVEL, base: { service: 'mlrpc-server' } });
}
