/** What a worker reports back for one call. */
export interface CallResult<Result> {
  result: Result;
  inferenceTimeMs: number;
}

export interface WorkerCallOptions {
  /** Buffers handed to the worker instead of copied. */
  transfer?: ArrayBuffer[];
  /** Told what the call reports while it runs (generated text and tokens, say). */
  onEvent?: (event: unknown) => void;
  /** Aborting asks the worker to stop the call early. */
  signal?: AbortSignal;
}

/**
 * Something that runs merged calls for a batch queue: a model worker thread in production, a
 * remote server's slot for upstream models, an in-process fake in tests.
 */
export interface BatchWorker<Payload = unknown, Result = unknown> {
  readonly isAlive: boolean;
  /** Calls it runs at once: 1, or more where its task interleaves them (continuous batching). */
  readonly capacity: number;
  /** Calls running on it now; the queue counts them. */
  running: number;
  call(payload: Payload, options: WorkerCallOptions): Promise<CallResult<Result>>;
}
