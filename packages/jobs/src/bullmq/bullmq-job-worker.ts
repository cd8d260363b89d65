import type { JobStatus } from '@mlrpc/schema';
import { UnrecoverableError, WaitingError, Worker, type Job as BullJob } from 'bullmq';
import type { Redis } from 'ioredis';
import { finishedStatuses, type JobProcessor } from '../job-backend.js';
import { isTransientFailure, jobFailureOf, type JobFailure } from '../job-failure.js';
import { JobIdFeed } from './job-id-feed.js';
import { JobRecordStore } from './job-record-store.js';
import { connectRedis, jobQueueName, type RedisJobSettings } from './redis-connection.js';
import { RedisKeys } from './redis-keys.js';

export interface BullmqJobWorkerOptions extends RedisJobSettings {
  /** Jobs this process runs at once. */
  concurrency: number;
  /** Must match the API server's: finished records expire after it. */
  retentionMs: number;
  /**
   * A job whose worker stops renewing its lock for this long (it crashed, or lost its network)
   * goes back to the queue for another worker. Shorter recovers sooner; too short for the
   * network's hiccups hands jobs around needlessly.
   */
  lockMs: number;
  /** Hears what happens to jobs, for logs. */
  onEvent?: (event: JobWorkerEvent) => void;
}

export interface JobWorkerEvent {
  event: 'started' | 'completed' | 'failed' | 'retrying' | 'cancelled' | 'requeued';
  jobId: string;
  attempt: number;
  /** The last progress the job reported (0..1): where a stopped job stopped. */
  progress?: number;
  error?: JobFailure;
}

interface QueuedJobData {
  jobId: string;
}

const cancelled = new Error('the job was cancelled');
const shuttingDown = new Error('the worker is shutting down');
const stalledTooOften = 'stalled more than allowable limit';

/**
 * Consumes jobs from Redis and runs them with the engine: any number of these, in `apps/worker`
 * processes or inside API servers, share the queue. BullMQ brings priorities, retries with
 * backoff and stalled-job recovery; this adds records, progress, cancellation and clean hand-back.
 */
export class BullmqJobWorker {
  private readonly keys: RedisKeys;
  private readonly redis: Redis;
  private readonly store: JobRecordStore;
  private readonly cancels: JobIdFeed;
  private readonly worker: Worker<QueuedJobData>;
  private readonly running = new Map<string, AbortController>();

  constructor(
    private readonly processor: JobProcessor,
    private readonly options: BullmqJobWorkerOptions,
  ) {
    this.keys = new RedisKeys(options.prefix);
    this.redis = connectRedis(options.redisUrl);
    this.store = new JobRecordStore(this.redis, this.keys, options.retentionMs);
    this.cancels = new JobIdFeed(connectRedis(options.redisUrl), this.keys.cancelChannel);
    this.worker = new Worker<QueuedJobData>(jobQueueName, (job, token) => this.run(job, token), {
      connection: this.redis,
      prefix: this.keys.queuePrefix,
      concurrency: options.concurrency,
      lockDuration: options.lockMs,
      stalledInterval: options.lockMs,
      maxStalledCount: 1,
      autorun: false,
    });
    this.worker.on('failed', (job, error) => void this.settleAbandoned(job, error));
    // Connection trouble is retried by ioredis; BullMQ reports it here instead of crashing.
    this.worker.on('error', () => undefined);
  }

  /** Starts taking jobs once cancellation messages can be heard. */
  async start(): Promise<void> {
    await this.cancels.ready();
    await this.worker.waitUntilReady();
    void this.worker.run();
  }

  /**
   * Stops taking jobs, gives running ones `graceMs` to finish, then hands the rest back to the
   * queue (another worker restarts them), and disconnects.
   */
  async close(graceMs = 0): Promise<void> {
    const closing = this.worker.close();
    if (this.running.size > 0 && graceMs > 0) {
      await Promise.race([closing, new Promise((resolve) => setTimeout(resolve, graceMs))]);
    }
    for (const controller of this.running.values()) controller.abort(shuttingDown);
    await closing;
    await this.cancels.close();
    await this.redis.quit().catch(() => undefined);
  }

  private async run(bullJob: BullJob<QueuedJobData>, token: string | undefined): Promise<void> {
    const { jobId } = bullJob.data;
    const record = await this.store.read(jobId);
    // Cancelled while it waited (or its record expired): nothing to do.
    if (!record || finishedStatuses.has(record.job.status)) return;
    const attempt = bullJob.attemptsStarted;
    const controller = new AbortController();
    const onCancel = (): void => controller.abort(cancelled);
    this.running.set(jobId, controller);
    this.cancels.on(jobId, onCancel);
    try {
      const started = await this.store.update(jobId, ['queued', 'running'], {
        status: 'running',
        startedAt: Date.now(),
        attempts: attempt,
        progress: 0,
      });
      if (started <= 0) return;
      this.tell({ event: 'started', jobId, attempt });
      await this.work(bullJob, token, record.submission, controller.signal, attempt);
    } finally {
      this.cancels.off(jobId, onCancel);
      this.running.delete(jobId);
    }
  }

  private async work(
    bullJob: BullJob<QueuedJobData>,
    token: string | undefined,
    submission: Parameters<JobProcessor>[0],
    signal: AbortSignal,
    attempt: number,
  ): Promise<void> {
    const { jobId } = bullJob.data;
    // Progress writes go out in order, never racing the final update.
    let writes: Promise<unknown> = Promise.resolve();
    let progress = 0;
    const reportProgress = (reported: number): void => {
      const value = Math.min(1, Math.max(0, reported));
      progress = value;
      writes = writes
        .then(() => this.store.update(jobId, ['running'], { progress: value }))
        .catch(() => undefined);
    };
    try {
      const result = await this.processor(submission, { signal, reportProgress });
      await writes;
      if (signal.aborted) throw signal.reason;
      const done = await this.store.update(jobId, ['running'], {
        status: 'completed',
        progress: 1,
        finishedAt: Date.now(),
        result,
        error: null,
      });
      if (done > 0) this.tell({ event: 'completed', jobId, attempt });
    } catch (error) {
      await writes;
      if (signal.aborted && signal.reason === cancelled) {
        this.tell({ event: 'cancelled', jobId, attempt, progress });
        return;
      }
      if (signal.aborted && signal.reason === shuttingDown) {
        await this.store.update(jobId, ['running'], { status: 'queued' });
        await bullJob.moveToWait(token);
        this.tell({ event: 'requeued', jobId, attempt, progress });
        throw new WaitingError();
      }
      const failure = jobFailureOf(error);
      const transient = isTransientFailure(failure);
      const retry = transient && attempt < (bullJob.opts.attempts ?? 1);
      const status: JobStatus = retry ? 'queued' : 'failed';
      await this.store.update(jobId, ['running'], {
        status,
        error: failure,
        ...(retry ? {} : { finishedAt: Date.now() }),
      });
      this.tell({ event: retry ? 'retrying' : 'failed', jobId, attempt, progress, error: failure });
      if (!transient) throw new UnrecoverableError(failure.message);
      throw error;
    }
  }

  /** A job BullMQ failed without our processor deciding it (it stalled too often): record that. */
  private async settleAbandoned(
    bullJob: BullJob<QueuedJobData> | undefined,
    error: Error,
  ): Promise<void> {
    if (!bullJob || !error.message.includes(stalledTooOften)) return;
    const failure: JobFailure = {
      errorCode: 'INTERNAL_ERROR',
      message:
        'the job stopped its workers more than once (they crashed or hung), so it was given up',
    };
    const version = await this.store
      .update(bullJob.data.jobId, ['queued', 'running'], {
        status: 'failed',
        finishedAt: Date.now(),
        error: failure,
      })
      .catch(() => 0);
    if (version > 0) {
      this.tell({
        event: 'failed',
        jobId: bullJob.data.jobId,
        attempt: bullJob.attemptsStarted,
        error: failure,
      });
    }
  }

  private tell(event: JobWorkerEvent): void {
    this.options.onEvent?.(event);
  }
}
