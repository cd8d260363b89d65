import type { ModelError } from '../model-error.js';

/** One model call made of several callers' requests. */
export interface MergedCall<Payload> {
  payload: Payload;
  /** Buffers that move to the worker instead of being copied. */
  transfer: ArrayBuffer[];
  /** Where the call's progress events go (a single generation's text, say). */
  onEvent?: (event: unknown) => void;
}

/** How one task turns several callers' requests into one model call, and the result back. */
export interface BatchCodec<Request, Payload, Result, Response> {
  /** Items (texts, images, tensor rows) a request adds to a batch. */
  size(request: Request): number;
  /** Whether `next` may ride in the same model call as `first`. */
  compatible(first: Request, next: Request): boolean;
  merge(requests: Request[]): MergedCall<Payload>;
  /**
   * One response per request, in order: each caller gets exactly its own results. A ModelError
   * in a caller's place fails that caller alone (one unreadable image among many, say).
   */
  split(result: Result, requests: Request[]): Array<Response | ModelError>;
}
