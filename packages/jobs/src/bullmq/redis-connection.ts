import { Redis } from 'ioredis';

export interface RedisJobSettings {
  /** e.g. `redis://127.0.0.1:6379/0`; `rediss://` for TLS. */
  redisUrl: string;
  /** Namespace for every key, so several deployments can share one Redis. */
  prefix: string;
}

/** The BullMQ queue that carries mlrpc's jobs. */
export const jobQueueName = 'jobs';

/**
 * A Redis connection that rides out Redis restarts: commands wait for the reconnect instead of
 * failing (BullMQ requires this for its blocking connections).
 */
export function connectRedis(url: string): Redis {
  return quietOnError(new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true }));
}

/**
 * Connection errors surface where they matter (failed commands, readiness, job calls answering
 * BACKEND_UNAVAILABLE); without a listener ioredis prints each reconnect attempt's error.
 */
function quietOnError(redis: Redis): Redis {
  redis.on('error', () => undefined);
  return redis;
}

/**
 * A Redis connection whose commands fail within about a second while Redis is away, instead of
 * waiting for it: for work that has an answer without Redis (rate limits fall back to memory,
 * requests get a quick 503) rather than one that must wait.
 */
export function connectRedisFailFast(url: string): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: true,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  return quietOnError(redis);
}
