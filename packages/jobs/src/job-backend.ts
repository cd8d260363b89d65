import type { ResultWindow } from './result-window.js';
import type { Job, JobResult, JobStatus, JobSubmission } from '@mlrpc/schema';

export interface JobContext {
  /** Aborts when the job is cancelled: stop working and return or throw. */
  signal: AbortSignal;
  /** 0..1, as work advances. */
  reportProgress: (progress: number) => void;
}

/** Does a job's work; the API supplies it (it knows the models), the backend schedules it. */
export type JobProcessor = (submission: JobSubmission, context: JobContext) => Promise<JobResult>;

export interface JobListQuery {
  status?: JobStatus | undefined;
  cursor?: string | undefined;
  limit: number;
}

/** A job as it changes: `version` grows with every change, for resumable watching. */
export interface JobSnapshot {
  version: number;
  job: Job;
}

/**
 * Where jobs live and run. Every call names the owner (the caller's identity): one owner never
 * sees, watches or cancels another's jobs. Implemented in-process (not durable) and, to come,
 * by BullMQ on Redis (durable, shared by many servers and workers).
 */
export interface JobBackend {
  submit(owner: string, submission: JobSubmission): Promise<Job>;
  /** The job, with a window on its result's rows (the first page by default). */
  get(owner: string, jobId: string, window?: ResultWindow): Promise<Job>;
  /** The owner's jobs, newest first, a page at a time; without their results. */
  list(owner: string, query: JobListQuery): Promise<{ jobs: Job[]; nextCursor: string | null }>;
  /** Cancels a queued job, or stops a running one; finished jobs stay as they are. */
  cancel(owner: string, jobId: string): Promise<Job>;
  /** The job now and after every change (versions above `afterVersion`), until it finishes. */
  watch(
    owner: string,
    jobId: string,
    afterVersion: number,
    signal: AbortSignal,
  ): AsyncIterable<JobSnapshot>;
  /** Jobs per status, for metrics: queued and running at least (finished where cheap to count). */
  counts(): Promise<Partial<Record<JobStatus, number>>>;
  /** Whether the store behind the jobs answers now (readiness reports it). */
  available(): boolean;
  close(): Promise<void>;
}

export const finishedStatuses: ReadonlySet<JobStatus> = new Set([
  'completed',
  'failed',
  'cancelled',
]);

/** The record of a job just submitted: queued, nothing run yet. */
export function newJob(id: string, submission: JobSubmission): Job {
  return {
    id,
    kind: submission.kind,
    status: 'queued',
    progress: 0,
    priority: submission.priority,
    createdAt: Date.now(),
    startedAt: null,
    finishedAt: null,
    attempts: 0,
    result: null,
    resultPage: null,
    error: null,
  };
}
