import type { WorkerCall, WorkerCallEvent, WorkerCallResult } from '../worker/worker-protocol.js';

/** How one task turns several callers' requests into one model call, and the result back. */
export interface BatchCodec<Request, Response> {
  /** Items (texts, images, tensor rows) a request adds to a batch. */
  size(request: Request): number;
  /** Whether `next` may ride in the same model call as `first`. */
  compatible(first: Request, next: Request): boolean;
  merge(requests: Request[]): {
    call: WorkerCall;
    transfer: ArrayBuffer[];
    /** Where a single-request call's progress events go (generation). */
    onEvent?: (event: WorkerCallEvent) => void;
  };
  /** One response per request, in order: each caller gets exactly its own results. */
  split(result: WorkerCallResult, requests: Request[]): Response[];
}
