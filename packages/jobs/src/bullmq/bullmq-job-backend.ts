import { randomUUID } from 'node:crypto';
import type { Job, JobStatus, JobSubmission } from '@mlrpc/schema';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  finishedStatuses,
  newJob,
  type JobBackend,
  type JobListQuery,
  type JobSnapshot,
} from '../job-backend.js';
import type { ResultWindow } from '../result-window.js';
import { JobError } from '../job-error.js';
import { JobIdFeed } from './job-id-feed.js';
import { JobRecordStore, type JobRecord } from './job-record-store.js';
import { connectRedis, jobQueueName, type RedisJobSettings } from './redis-connection.js';
import { RedisKeys } from './redis-keys.js';

export interface BullmqJobOptions extends RedisJobSettings {
  /** Jobs waiting (not running) beyond this are refused with QUEUE_FULL. */
  maxQueued: number;
  /** How long finished jobs and their results are kept. */
  retentionMs: number;
  /** Tries per job, the first included, for transient failures; bad input is never retried. */
  attempts: number;
  /** First retry delay; it doubles with every further retry. */
  backoffMs: number;
}

/** Even without a change message (say, across a Redis reconnect), watchers re-read this often. */
const watchPollMs = 5_000;

/**
 * Jobs on Redis through BullMQ: durable (Redis persists them), shared by every API server, run by
 * any number of `apps/worker` processes (see BullmqJobWorker). Records live in Redis hashes, so
 * status, progress and results survive restarts of servers and workers alike.
 */
/** Longest a job call waits on Redis before answering BACKEND_UNAVAILABLE. */
const redisDeadlineMs = 5_000;

export class BullmqJobBackend implements JobBackend {
  private readonly keys: RedisKeys;
  private readonly redis: Redis;
  private readonly store: JobRecordStore;
  private readonly queue: Queue;
  private readonly changes: JobIdFeed;

  constructor(private readonly options: BullmqJobOptions) {
    this.keys = new RedisKeys(options.prefix);
    this.redis = connectRedis(options.redisUrl);
    this.store = new JobRecordStore(this.redis, this.keys, options.retentionMs);
    this.queue = new Queue(jobQueueName, { connection: this.redis, prefix: this.keys.queuePrefix });
    this.changes = new JobIdFeed(connectRedis(options.redisUrl), this.keys.changesChannel);
  }

  /** Whether Redis answers now (readiness reports it; calls wait a few seconds for it at most). */
  available(): boolean {
    return this.redis.status === 'ready';
  }

  submit(owner: string, submission: JobSubmission): Promise<Job> {
    return this.guarded(() => this.submitNow(owner, submission));
  }

  private async submitNow(owner: string, submission: JobSubmission): Promise<Job> {
    const jobId = randomUUID();
    const idempotencyKey =
      submission.idempotencyKey && this.keys.idempotency(owner, submission.idempotencyKey);
    if (idempotencyKey) {
      const holder = await this.store.claimIdempotencyKey(idempotencyKey, jobId);
      if (holder) {
        const existing = await this.claimedRecord(holder);
        if (existing?.owner === owner) return existing.job;
        await this.store.takeOverIdempotencyKey(idempotencyKey, jobId);
      }
    }
    try {
      const counts = await this.queue.getJobCounts('wait', 'prioritized', 'delayed');
      const waiting = Object.values(counts).reduce((sum, count) => sum + count, 0);
      if (waiting >= this.options.maxQueued) {
        throw new JobError('QUEUE_FULL', `${waiting} jobs are already waiting`, {
          retryAfterSeconds: 5,
        });
      }
    } catch (error) {
      if (idempotencyKey) await this.store.releaseIdempotencyKey(idempotencyKey);
      throw error;
    }
    const job = newJob(jobId, submission);
    // The record first: a worker that picks the job up always finds it.
    await this.store.create(owner, job, submission, idempotencyKey);
    try {
      await this.queue.add(
        job.kind,
        { jobId },
        {
          jobId,
          priority: job.priority,
          attempts: this.options.attempts,
          backoff: { type: 'exponential', delay: this.options.backoffMs },
          removeOnComplete: true,
          removeOnFail: { age: Math.ceil(this.options.retentionMs / 1000) },
        },
      );
    } catch (error) {
      const message = `could not queue the job: ${(error as Error).message}`;
      await this.store.update(jobId, [], {
        status: 'failed',
        finishedAt: Date.now(),
        error: { errorCode: 'INTERNAL_ERROR', message },
      });
      throw new JobError('INTERNAL_ERROR', message);
    }
    return job;
  }

  get(owner: string, jobId: string, window?: ResultWindow): Promise<Job> {
    return this.guarded(async () => (await this.owned(owner, jobId, window)).job);
  }

  list(owner: string, query: JobListQuery): Promise<{ jobs: Job[]; nextCursor: string | null }> {
    return this.guarded(() => this.listNow(owner, query));
  }

  private async listNow(
    owner: string,
    query: JobListQuery,
  ): Promise<{ jobs: Job[]; nextCursor: string | null }> {
    let start = 0;
    if (query.cursor) {
      const rank = await this.store.ownerJobRank(owner, query.cursor);
      if (rank === null) {
        throw new JobError('INVALID_INPUT', `cursor ${query.cursor} is not one of your jobs`);
      }
      start = rank + 1;
    }
    const page: string[] = [];
    const gone: string[] = [];
    let more = false;
    const chunk = Math.max(50, query.limit * 2);
    while (!more) {
      const ids = await this.store.ownerJobIds(owner, start, chunk);
      const statuses = await this.store.statuses(ids);
      for (const [index, id] of ids.entries()) {
        const status = statuses[index];
        if (!status) gone.push(id);
        else if (!query.status || status === query.status) {
          if (page.length === query.limit) more = true;
          else page.push(id);
        }
      }
      if (ids.length < chunk) break;
      start += chunk;
    }
    await this.store.forgetOwnerJobs(owner, gone);
    // Listings carry no results: a job's result (possibly 100,000 rows) comes from jobs.get.
    const records = await Promise.all(page.map((id) => this.store.read(id, null)));
    const jobs = records.flatMap((record) => (record ? [record.job] : []));
    return { jobs, nextCursor: more ? (jobs.at(-1)?.id ?? null) : null };
  }

  cancel(owner: string, jobId: string): Promise<Job> {
    return this.guarded(() => this.cancelNow(owner, jobId));
  }

  private async cancelNow(owner: string, jobId: string): Promise<Job> {
    await this.owned(owner, jobId);
    const version = await this.store.update(jobId, ['queued', 'running'], {
      status: 'cancelled',
      finishedAt: Date.now(),
    });
    if (version > 0) {
      // Waiting in BullMQ: gone from the queue. Running: its worker hears this and stops.
      await this.queue.remove(jobId).catch(() => 0);
      await this.redis.publish(this.keys.cancelChannel, jobId);
    }
    return (await this.owned(owner, jobId)).job;
  }

  async *watch(
    owner: string,
    jobId: string,
    afterVersion: number,
    signal: AbortSignal,
  ): AsyncGenerator<JobSnapshot> {
    let changed: boolean;
    let wake: (() => void) | undefined;
    const onChange = (): void => {
      changed = true;
      wake?.();
    };
    await this.changes.ready();
    this.changes.on(jobId, onChange);
    try {
      let seen = afterVersion;
      for (;;) {
        changed = false;
        const record = await this.guarded(() => this.owned(owner, jobId));
        if (record.version > seen) {
          seen = record.version;
          yield { version: record.version, job: record.job };
        }
        if (finishedStatuses.has(record.job.status)) return;
        if (changed) continue;
        await new Promise<void>((resolve, reject) => {
          const done = (error?: Error): void => {
            clearTimeout(timer);
            signal.removeEventListener('abort', onAbort);
            wake = undefined;
            if (error === undefined) resolve();
            else reject(error);
          };
          const onAbort = (): void =>
            done(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
          const timer = setTimeout(() => done(), watchPollMs);
          wake = () => done();
          if (signal.aborted) onAbort();
          else signal.addEventListener('abort', onAbort, { once: true });
        });
      }
    } finally {
      this.changes.off(jobId, onChange);
    }
  }

  async counts(): Promise<Partial<Record<JobStatus, number>>> {
    const counts = await this.guarded(() =>
      this.queue.getJobCounts('wait', 'prioritized', 'delayed', 'active'),
    );
    return {
      queued: (counts['wait'] ?? 0) + (counts['prioritized'] ?? 0) + (counts['delayed'] ?? 0),
      running: counts['active'] ?? 0,
    };
  }

  async close(): Promise<void> {
    await this.changes.close();
    await this.queue.close();
    await this.redis.quit().catch(() => undefined);
  }

  /**
   * The job holding an idempotency key. A concurrent submit may have claimed the key an instant
   * before writing its record, so a missing record is waited for briefly before it counts as gone.
   */
  private async claimedRecord(jobId: string): Promise<JobRecord | null> {
    for (let tries = 0; tries < 20; tries += 1) {
      const record = await this.store.read(jobId);
      if (record) return record;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return null;
  }

  /**
   * Runs a Redis-backed operation, giving up after a few seconds: the connection queues commands
   * while Redis is away (BullMQ needs that), but a caller should get a 503 with Retry-After
   * instead of waiting for Redis to come back; at once when the connection has ended.
   */
  private async guarded<T>(operation: () => Promise<T>): Promise<T> {
    const unavailable = () =>
      new JobError('BACKEND_UNAVAILABLE', 'the job store (Redis) is unreachable; retry shortly', {
        retryAfterSeconds: 5,
      });
    if (this.redis.status === 'end') throw unavailable();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(unavailable()), redisDeadlineMs);
    });
    try {
      return await Promise.race([operation(), deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async owned(owner: string, jobId: string, window?: ResultWindow): Promise<JobRecord> {
    const record = await this.store.read(jobId, window);
    // Another owner's job is reported exactly like a missing one: its existence is not revealed.
    if (!record || record.owner !== owner) throw new JobError('NOT_FOUND', `no job ${jobId}`);
    return record;
  }
}
