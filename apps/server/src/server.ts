import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import {
  ApiMetrics,
  createEngine,
  createJobBackend,
  createJobWorker,
  GenerationStore,
  loadApiKeys,
  ProcedureRateLimiter,
} from '@mlrpc/api';
import { connectRedis } from '@mlrpc/jobs';
import type { ModelManager } from '@mlrpc/models';
import type { Logger } from 'pino';
import { createApp } from './app.js';
import { processEnv, type Env } from './env.js';
import { createLogger } from './logger.js';
import { serverVersion } from './server-version.js';

export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  port: number;
  models: ModelManager;
  logger: Logger;
  /** Resolves once the task default models have loaded (or failed). */
  warmUp: Promise<void>;
  /** Graceful stop: readiness fails, new connections are refused, in-flight requests finish. */
  close(): Promise<void>;
}

/** Starts the whole server from parsed settings; used by main.ts and by the end-to-end tests. */
export async function startServer(
  env: Env,
  logger: Logger = createLogger(env),
): Promise<RunningServer> {
  const { models, imageFetch, processor } = await createEngine(env, {
    onTrouble: (model, message) => logger.warn({ model }, message),
    secret: (name) => processEnv()[name],
  });
  const generations = new GenerationStore(env.CHAT_RESUME_TTL_MS);
  let shuttingDown = false;
  const jobs = createJobBackend(env, processor);
  const jobWorker = env.JOBS_PROCESS_IN_SERVER
    ? createJobWorker(env, processor, (event) => logger.info(event, `job ${event.event}`))
    : undefined;
  await jobWorker?.start();
  const apiKeys = await loadApiKeys({ json: env.API_KEYS, file: env.API_KEYS_FILE });
  if (!apiKeys) logger.warn('no API keys configured: authentication is off (see README, Auth)');
  const rateLimitRedis = env.REDIS_URL ? connectRedis(env.REDIS_URL) : undefined;
  const rateLimiter = new ProcedureRateLimiter(
    env.RATE_LIMITS,
    rateLimitRedis && { redis: rateLimitRedis, prefix: env.REDIS_PREFIX },
  );
  const metrics = new ApiMetrics(models, jobs);
  const app = createApp({
    env,
    logger,
    isShuttingDown: () => shuttingDown,
    metrics,
    dependencies: {
      models,
      jobs,
      generations,
      apiKeys,
      rateLimiter,
      metrics,
      serverVersion,
      startedAt: Date.now(),
      imageFetch,
    },
  });
  const server = app.listen(env.PORT, env.HOST);
  await once(server, 'listening');
  const { port, address, family } = server.address() as AddressInfo;
  const host = family === 'IPv6' ? `[${address}]` : address;

  const warmUp = env.MODELS_PRELOAD
    ? models.warmUpDefaults().then(() => {
        for (const model of models.list().filter((info) => info.state === 'failed')) {
          logger.warn(
            { model: model.id, version: model.version, error: model.error },
            'model failed to load',
          );
        }
      })
    : Promise.resolve();

  return {
    url: `http://${host}:${port}`,
    port,
    models,
    logger,
    warmUp,
    async close() {
      shuttingDown = true;
      // Job workers stop taking jobs now; running ones finish or go back to the queue.
      const workerClosed = jobWorker?.close(env.SHUTDOWN_GRACE_MS);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const grace = setTimeout(() => server.closeAllConnections(), env.SHUTDOWN_GRACE_MS);
      await closed;
      clearTimeout(grace);
      await warmUp;
      await workerClosed;
      await jobs.close();
      await rateLimitRedis?.quit().catch(() => undefined);
      await models.close();
      generations.close();
    },
  };
}
