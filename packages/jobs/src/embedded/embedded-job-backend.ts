/* eslint-disable @typescript-eslint/require-await -- the methods are async so that errors reach callers as rejections, as the Promise-based JobBackend contract promises (and the Redis backend will do). */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { Job, JobStatus, JobSubmission } from '@mlrpc/schema';
import {
  finishedStatuses,
  newJob,
  type JobBackend,
  type JobListQuery,
  type JobProcessor,
  type JobSnapshot,
} from '../job-backend.js';
import { JobError } from '../job-error.js';
import type { ResultWindow } from '../result-window.js';
import { jobFailureOf } from '../job-failure.js';
import { StoredJob } from './stored-job.js';

export interface EmbeddedJobOptions {
  /** Jobs running at once. */
  concurrency: number;
  /** Queued jobs beyond this are refused with QUEUE_FULL. */
  maxQueued: number;
  /** Bytes of input all queued jobs may hold (JSON size); beyond it, QUEUE_FULL. */
  maxQueuedBytes?: number;
  /** How long finished jobs (and their results) are kept. */
  retentionMs: number;
}

/**
 * Jobs in this process: bounded, prioritized, cancellable, watched live. Not durable: a restart
 * loses queued and running jobs and their results (use the Redis backend for that).
 */
export class EmbeddedJobBackend implements JobBackend {
  private readonly jobs = new Map<string, StoredJob>();
  private readonly queue: StoredJob[] = [];
  private readonly idempotency = new Map<string, string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private running = 0;
  private queuedBytes = 0;
  private readonly sizes = new WeakMap<StoredJob, number>();

  constructor(
    private readonly processor: JobProcessor,
    private readonly options: EmbeddedJobOptions,
  ) {}

  async submit(owner: string, submission: JobSubmission): Promise<Job> {
    const key = submission.idempotencyKey && `${owner}\u0000${submission.idempotencyKey}`;
    const existing = key ? this.jobs.get(this.idempotency.get(key) ?? '') : undefined;
    if (existing) return existing.job;
    if (this.queue.length >= this.options.maxQueued) {
      throw new JobError('QUEUE_FULL', `${this.queue.length} jobs are already waiting`, {
        retryAfterSeconds: 5,
      });
    }
    const size = Buffer.byteLength(JSON.stringify(submission.input));
    const maxBytes = this.options.maxQueuedBytes ?? Number.POSITIVE_INFINITY;
    if (this.queuedBytes + size > maxBytes) {
      throw new JobError(
        'QUEUE_FULL',
        `waiting jobs already hold ${this.queuedBytes} bytes of input; this one (${size}) would pass ${maxBytes}`,
        { retryAfterSeconds: 5 },
      );
    }
    const job = newJob(randomUUID(), submission);
    const stored = new StoredJob(owner, submission, job);
    this.sizes.set(stored, size);
    this.queuedBytes += size;
    this.jobs.set(job.id, stored);
    if (key) this.idempotency.set(key, job.id);
    // Lower priority numbers first; equal priorities in submission order.
    const at = this.queue.findIndex((queued) => queued.record.priority > job.priority);
    this.queue.splice(at === -1 ? this.queue.length : at, 0, stored);
    this.pump();
    // The record as submitted: whether it already started is for get and watch to tell.
    return job;
  }

  async get(owner: string, jobId: string, window?: ResultWindow): Promise<Job> {
    const stored = this.owned(owner, jobId);
    return window ? stored.view(window) : stored.job;
  }

  async list(
    owner: string,
    query: JobListQuery,
  ): Promise<{ jobs: Job[]; nextCursor: string | null }> {
    const mine = [...this.jobs.values()]
      .filter(
        (stored) =>
          stored.owner === owner && (!query.status || stored.record.status === query.status),
      )
      .reverse();
    const start = query.cursor
      ? mine.findIndex((stored) => stored.record.id === query.cursor) + 1
      : 0;
    const page = mine.slice(start, start + query.limit);
    const more = start + query.limit < mine.length;
    return {
      // Listings carry no results: a job's result (possibly 100,000 rows) comes from get.
      jobs: page.map((stored) => stored.view(null)),
      nextCursor: more ? (page.at(-1)?.record.id ?? null) : null,
    };
  }

  async cancel(owner: string, jobId: string): Promise<Job> {
    const stored = this.owned(owner, jobId);
    if (stored.record.status === 'queued') {
      this.queue.splice(this.queue.indexOf(stored), 1);
      this.queuedBytes -= this.sizes.get(stored) ?? 0;
      this.finish(stored, { status: 'cancelled' });
    } else if (stored.record.status === 'running') {
      stored.controller?.abort();
      this.finish(stored, { status: 'cancelled' });
    }
    return stored.job;
  }

  async *watch(
    owner: string,
    jobId: string,
    afterVersion: number,
    signal: AbortSignal,
  ): AsyncGenerator<JobSnapshot> {
    const stored = this.owned(owner, jobId);
    let seen = afterVersion;
    for (;;) {
      if (stored.version > seen) {
        seen = stored.version;
        yield { version: stored.version, job: stored.job };
        // The job may have changed (even finished) while the caller held that snapshot.
        continue;
      }
      if (finishedStatuses.has(stored.record.status)) return;
      await once(stored.changes, 'change', { signal });
    }
  }

  /** In memory: available as long as the process is. */
  available(): boolean {
    return true;
  }

  async counts(): Promise<Partial<Record<JobStatus, number>>> {
    const counts: Partial<Record<JobStatus, number>> = {};
    for (const stored of this.jobs.values()) {
      counts[stored.record.status] = (counts[stored.record.status] ?? 0) + 1;
    }
    return counts;
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    for (const stored of this.jobs.values()) stored.controller?.abort();
    this.queue.length = 0;
  }

  private owned(owner: string, jobId: string): StoredJob {
    const stored = this.jobs.get(jobId);
    // Another owner's job is reported exactly like a missing one: its existence is not revealed.
    if (!stored || stored.owner !== owner) throw new JobError('NOT_FOUND', `no job ${jobId}`);
    return stored;
  }

  private pump(): void {
    while (this.running < this.options.concurrency) {
      const next = this.queue.shift();
      if (!next) return;
      this.queuedBytes -= this.sizes.get(next) ?? 0;
      void this.run(next);
    }
  }

  private async run(stored: StoredJob): Promise<void> {
    this.running += 1;
    const controller = new AbortController();
    stored.controller = controller;
    stored.update({
      status: 'running',
      startedAt: Date.now(),
      attempts: stored.record.attempts + 1,
    });
    try {
      const result = await this.processor(stored.submission, {
        signal: controller.signal,
        reportProgress: (progress) => {
          if (stored.record.status === 'running')
            stored.update({ progress: Math.min(1, Math.max(0, progress)) });
        },
      });
      if (stored.record.status === 'running')
        this.finish(stored, { status: 'completed', progress: 1, result });
    } catch (error) {
      if (stored.record.status === 'running')
        this.finish(stored, { status: 'failed', error: jobFailureOf(error) });
    } finally {
      stored.controller = undefined;
      this.running -= 1;
      this.pump();
    }
  }

  private finish(stored: StoredJob, change: Partial<Job>): void {
    stored.update({ ...change, finishedAt: Date.now() });
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.jobs.delete(stored.record.id);
      if (stored.submission.idempotencyKey) {
        this.idempotency.delete(`${stored.owner}\u0000${stored.submission.idempotencyKey}`);
      }
    }, this.options.retentionMs);
    timer.unref();
    this.timers.add(timer);
  }
}
