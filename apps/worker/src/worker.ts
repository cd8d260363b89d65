import { createEngine, createJobWorker } from '@mlrpc/engine';
import type { ModelManager } from '@mlrpc/models';
import type { Logger } from 'pino';
import { secretFromEnv, type Env } from './env.js';
import { startHealthServer } from './health-server.js';

export interface RunningWorker {
  models: ModelManager;
  /** Stops taking jobs, lets running ones finish within the grace period, requeues the rest. */
  close(): Promise<void>;
}

/** Loads the engine and starts consuming jobs from Redis. */
export async function startWorker(env: Env, logger: Logger): Promise<RunningWorker> {
  const { models, processor } = await createEngine(env, {
    onTrouble: (model, message) => logger.warn({ model }, message),
    secret: secretFromEnv,
  });
  const worker = createJobWorker(env, processor, (event) =>
    logger.info({ ...event, pid: process.pid }, `job ${event.event}`),
  );
  if (!worker) throw new Error('REDIS_URL is required');
  let consuming = false;
  const health =
    env.WORKER_PORT > 0
      ? await startHealthServer(env.WORKER_PORT, env.HOST, () => consuming).catch(
          (error: unknown) => {
            // A second worker on one host finds the port taken: it works on, unprobed.
            if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
            logger.warn(
              { port: env.WORKER_PORT },
              'health probe port in use (another worker on this host?): probes off for this worker; set WORKER_PORT to give it its own',
            );
            return undefined;
          },
        )
      : undefined;
  if (env.MODELS_PRELOAD) await models.warmUpDefaults();
  await worker.start();
  consuming = true;
  return {
    models,
    async close() {
      consuming = false;
      await worker.close(env.SHUTDOWN_GRACE_MS);
      await models.close();
      health?.close();
    },
  };
}
