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
    env.PORT > 0 ? await startHealthServer(env.PORT, env.HOST, () => consuming) : undefined;
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
