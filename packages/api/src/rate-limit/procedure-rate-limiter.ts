import type { Redis } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { ApiError } from '../api-error.js';
import type { RateLimitRules } from './rate-limit-rules.js';

/** What the RateLimit-* response headers report for a call. */
export interface RateLimitState {
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
}

/**
 * Counts calls per caller and procedure group against the configured rules, in memory or (with
 * Redis) shared by every replica. A call over the limit fails with RATE_LIMITED and Retry-After.
 */
export class ProcedureRateLimiter {
  private readonly limiters = new Map<string, { limiter: RateLimiterAbstract; points: number }>();

  constructor(rules: RateLimitRules, store: { redis: Redis; prefix: string } | undefined) {
    for (const [group, rule] of Object.entries(rules)) {
      const options = { points: rule.points, duration: rule.durationSeconds };
      const limiter = store
        ? new RateLimiterRedis({
            ...options,
            storeClient: store.redis,
            keyPrefix: `${store.prefix}:rate-limit:${group}`,
            // Redis down must not take the API down with it: fall back to counting in memory,
            // at once while the connection is not ready.
            insuranceLimiter: new RateLimiterMemory(options),
            rejectIfRedisNotReady: true,
          })
        : new RateLimiterMemory(options);
      this.limiters.set(group, { limiter, points: rule.points });
    }
  }

  get enabled(): boolean {
    return this.limiters.size > 0;
  }

  /**
   * Takes one call from `subject`'s allowance for the procedure's group (its path's first part;
   * an image upload counts as `predict`, which it is in another encoding).
   */
  async consume(path: string, subject: string): Promise<RateLimitState | undefined> {
    const first = path.split('.')[0] ?? path;
    const group = first === 'predictImage' ? 'predict' : first;
    const rule = this.limiters.get(group) ?? this.limiters.get('default');
    if (!rule) return undefined;
    try {
      const result = await rule.limiter.consume(subject);
      return {
        limit: rule.points,
        remaining: result.remainingPoints,
        resetSeconds: Math.ceil(result.msBeforeNext / 1000),
      };
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      const retryAfterSeconds = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
      throw new ApiError(
        'RATE_LIMITED',
        `rate limit for ${group} reached (${rule.points} calls per window); retry in ${retryAfterSeconds} s`,
        { retryAfterSeconds },
      );
    }
  }
}
