import { EventEmitter } from 'node:events';
import { limits, type Job, type JobSubmission } from '@mlrpc/schema';
import { firstPage, type ResultWindow } from '../result-window.js';
import { storeResult, viewResult, type StoredResult } from '../stored-result.js';

/** One job in the embedded backend: its public record plus what only the backend needs. */
export class StoredJob {
  version = 1;
  controller: AbortController | undefined;
  readonly changes = new EventEmitter();
  /** The result, kept compactly (embeddings as float32) apart from the record. */
  private stored: StoredResult | null = null;
  private current: Job;

  constructor(
    readonly owner: string,
    readonly submission: JobSubmission,
    job: Job,
  ) {
    this.current = job;
  }

  /** The record without its result: cheap, for status checks. */
  get record(): Readonly<Job> {
    return this.current;
  }

  /** The record, with the first page of its result. */
  get job(): Job {
    return this.view(firstPage(limits.jobResultPageDefault));
  }

  /** The record with a window of its result's rows, or with no result at all (`null`). */
  view(window: ResultWindow | null): Job {
    if (!this.stored || window === null) return { ...this.current, result: null, resultPage: null };
    return { ...this.current, ...viewResult(this.stored, window) };
  }

  /** Applies a change and tells watchers. */
  update(change: Partial<Job>): void {
    const { result, ...rest } = change;
    if (result) this.stored = storeResult(result);
    this.current = { ...this.current, ...rest };
    this.version += 1;
    this.changes.emit('change');
  }
}
