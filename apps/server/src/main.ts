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
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    // An orchestrator's SIGTERM gets a drain period; a Ctrl-C at a terminal does not.
    const drainMs = signal === 'SIGTERM' ? env.SHUTDOWN_DRAIN_MS : 0;
    logger.info({ signal, drainMs, graceMs: env.SHUTDOWN_GRACE_MS }, 'shutting down');
    server.close({ drainMs }).then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
} catch (error) {
  logger.fatal({ err: error }, 'server failed to start');
  process.exit(1);
}
