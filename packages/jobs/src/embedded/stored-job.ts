import { EventEmitter } from 'node:events';
import type { Job, JobSubmission } from '@mlrpc/schema';

/** One job in the embedded backend: its public record plus what only the backend needs. */
export class StoredJob {
  version = 1;
  controller: AbortController | undefined;
  readonly changes = new EventEmitter();

  constructor(
    readonly owner: string,
    readonly submission: JobSubmission,
    public job: Job,
  ) {}

  /** Applies a change and tells watchers. */
  update(change: Partial<Job>): void {
    this.job = { ...this.job, ...change };
    this.version += 1;
    this.changes.emit('change');
  }
}
