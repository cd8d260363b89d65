import { createHash } from 'node:crypto';

/** Every Redis key and channel mlrpc's jobs use, under one prefix so deployments can share a Redis. */
export class RedisKeys {
  constructor(readonly prefix: string) {}

  job(jobId: string): string {
    return `${this.prefix}:job:${jobId}`;
  }

  /** Sorted set of an owner's job ids, scored by creation time. */
  ownerJobs(owner: string): string {
    return `${this.prefix}:owner:${owner}:jobs`;
  }

  /** An owner's idempotency key, hashed: keys may be long or contain anything. */
  idempotency(owner: string, key: string): string {
    const digest = createHash('sha256').update(owner).update('\u0000').update(key).digest('hex');
    return `${this.prefix}:idempotency:${digest}`;
  }

  /** Published with a job id whenever that job's record changes. */
  get changesChannel(): string {
    return `${this.prefix}:job-changes`;
  }

  /** Published with a job id when it is cancelled, so the worker running it stops. */
  get cancelChannel(): string {
    return `${this.prefix}:job-cancel`;
  }

  /** BullMQ's own prefix for its queue keys. */
  get queuePrefix(): string {
    return `${this.prefix}:bull`;
  }
}
