import { stopOnSignals } from '@mlrpc/engine';
import { pino } from 'pino';
import { parseEnv } from './env.js';
import { startWorker } from './worker.js';

let env;
try {
  env = parseEnv();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
const logger = pino({ level: env.LOG_LEVEL, base: { service: 'mlrpc-worker' } });
try {
  const worker = await startWorker(env, logger);
  logger.info(
    { redis: new URL(env.REDIS_URL).host, concurrency: env.JOBS_CONCURRENCY },
    'mlrpc worker consuming jobs',
  );
  stopOnSignals(logger, (signal) => {
    logger.info({ signal, graceMs: env.SHUTDOWN_GRACE_MS }, 'shutting down');
    return worker.close();
  });
} catch (error) {
  logger.fatal({ err: error }, 'worker failed to start');
  process.exit(1);
}
