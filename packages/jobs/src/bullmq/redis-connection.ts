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
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
}
