import { once, setMaxListeners } from 'node:events';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { hostname } from 'node:os';
import { Server as NetServer, type AddressInfo } from 'node:net';
import {
  ApiMetrics,
  loadApiKeys,
  MemoryGenerationStore,
  ProcedureRateLimiter,
  RedisGenerationStore,
  type ApiDependencies,
  type GenerationStore,
} from '@mlrpc/api';
import { createEngine, createJobBackend, createJobWorker } from '@mlrpc/engine';
import { connectRedisFailFast } from '@mlrpc/jobs';
import type { ModelManager } from '@mlrpc/models';
import type { Logger } from 'pino';
import { createRequestListener } from './request-listener.js';
import { playgroundDirectory } from './playground-routes.js';
import { processEnv, type Env } from './env.js';
import { createLogger } from './logger.js';
import { serverVersion } from './server-version.js';

export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  port: number;
  models: ModelManager;
  /** What every procedure is handed (tests build other adapters over the same services). */
  dependencies: ApiDependencies;
  logger: Logger;
  /** Resolves once the task default models have loaded (or failed). */
  warmUp: Promise<void>;
  /**
   * Graceful stop: readiness fails at once; after `drainMs` new connections are refused;
   * in-flight requests finish within SHUTDOWN_GRACE_MS; streams still open then get a final
   * event; running jobs finish or go back to the queue.
   */
  close(options?: { drainMs?: number }): Promise<void>;
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
  // With Redis, chat generations are shared by every replica: any of them resumes any stream.
  const generationRedis = env.REDIS_URL ? connectRedisFailFast(env.REDIS_URL) : undefined;
  const generationEvents = generationRedis?.duplicate();
  const generations: GenerationStore =
    generationRedis && generationEvents
      ? new RedisGenerationStore(generationRedis, generationEvents, {
          prefix: env.REDIS_PREFIX,
          ttlMs: env.CHAT_RESUME_TTL_MS,
          replica: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
          onError: (error) => logger.warn({ err: error }, 'chat generation store: Redis failed'),
        })
      : new MemoryGenerationStore(env.CHAT_RESUME_TTL_MS);
  let shuttingDown = false;
  const shutdown = new AbortController();
  // Every open stream listens for shutdown: thousands of listeners are expected, not a leak.
  setMaxListeners(0, shutdown.signal);
  const jobs = createJobBackend(env, processor);
  const jobWorker = env.JOBS_PROCESS_IN_SERVER
    ? createJobWorker(env, processor, (event) => logger.info(event, `job ${event.event}`))
    : undefined;
  await jobWorker?.start();
  const apiKeys = await loadApiKeys({ json: env.API_KEYS, file: env.API_KEYS_FILE });
  if (!apiKeys) logger.warn('no API keys configured: authentication is off (see README, Auth)');
  // A Redis connection for the counters only when there are limits to count; failing fast, so a
  // Redis outage falls back to counting in memory instead of holding every call.
  const rateLimitRedis =
    env.REDIS_URL && Object.keys(env.RATE_LIMITS).length > 0
      ? connectRedisFailFast(env.REDIS_URL)
      : undefined;
  const rateLimiter = new ProcedureRateLimiter(
    env.RATE_LIMITS,
    rateLimitRedis && { redis: rateLimitRedis, prefix: env.REDIS_PREFIX },
  );
  const metrics = new ApiMetrics(models, jobs);
  const playground = env.PLAYGROUND ? playgroundDirectory() : undefined;
  if (env.PLAYGROUND && !playground) {
    logger.warn('the web playground is not built (pnpm build): nothing is served at /');
  }
  const dependencies: ApiDependencies = {
    models,
    jobs,
    generations,
    apiKeys,
    rateLimiter,
    metrics,
    serverVersion,
    startedAt: Date.now(),
    imageFetch,
    shutdown: shutdown.signal,
  };
  const listener = createRequestListener({
    env,
    logger,
    isShuttingDown: () => shuttingDown,
    metrics,
    playgroundDirectory: playground,
    dependencies,
  });
  const server = createServer(listener).listen(env.PORT, env.HOST);
  server.requestTimeout = env.REQUEST_TIMEOUT_MS;
  server.headersTimeout = Math.min(env.REQUEST_TIMEOUT_MS, 20_000);
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
    dependencies,
    logger,
    warmUp,
    async close({ drainMs = 0 } = {}) {
      shuttingDown = true;
      // Job workers stop taking jobs now; running ones finish or go back to the queue.
      const workerClosed = jobWorker?.close(env.SHUTDOWN_GRACE_MS);
      if (drainMs > 0) await new Promise((resolve) => setTimeout(resolve, drainMs));
      // Stop accepting first; connections accepted a moment ago still deliver their request
      // before idle ones are closed (closing them at once would reset those requests).
      const closed = new Promise<void>((resolve) =>
        NetServer.prototype.close.call(server, () => resolve()),
      );
      const idleSweep = setTimeout(() => server.closeIdleConnections(), 200);
      // Streams still open near the end of the grace period get their final event, then go.
      const finalEvents = setTimeout(
        () => shutdown.abort(),
        Math.max(0, env.SHUTDOWN_GRACE_MS - 300),
      );
      const grace = setTimeout(() => server.closeAllConnections(), env.SHUTDOWN_GRACE_MS);
      await closed;
      clearTimeout(idleSweep);
      clearTimeout(finalEvents);
      clearTimeout(grace);
      shutdown.abort();
      await warmUp;
      await workerClosed;
      await jobs.close();
      await rateLimitRedis?.quit().catch(() => undefined);
      // Generations still running here record their interruption for another replica to take.
      await generations.close();
      await generationRedis?.quit().catch(() => undefined);
      generationEvents?.disconnect();
      await models.close();
    },
  };
}
