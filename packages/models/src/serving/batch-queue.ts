import { DrainRate } from './drain-rate.js';
import { ModelError } from '../model-error.js';
import type { BatchCodec } from './batch-codec.js';
import type { BatchWorker } from './batch-worker.js';

export interface BatchSettings {
  maxBatchSize: number;
  maxQueueDelayMs: number;
  maxQueueSize: number;
  timeoutMs: number;
}

/** How a call was served, when a batching queue ran it. */
export interface ExecutionStats {
  batchSize: number;
  queueTimeMs: number;
  inferenceTimeMs: number;
}

export interface Served<Response> {
  response: Response;
  execution: ExecutionStats;
}

interface Pending<Request, Response> {
  request: Request;
  size: number;
  enqueuedAt: number;
  settled: boolean;
  signal: AbortSignal | undefined;
  resolve(value: Served<Response>): void;
  reject(error: Error): void;
}

/**
 * A model's bounded request queue and dynamic batcher (Triton's idea): while an instance has
 * room it takes as many waiting requests as fit in `maxBatchSize`, waiting at most
 * `maxQueueDelayMs` for a partial batch to fill. Requests that time out or whose caller leaves
 * are dropped before they reach the model.
 */
export class BatchQueue<Request, Payload, Result, Response> {
  private readonly queue: Array<Pending<Request, Response>> = [];
  private queuedItems = 0;
  private timer: NodeJS.Timeout | undefined;
  private closedWith: ModelError | undefined;
  private millisecondsPerItem = 0;
  private readonly drain = new DrainRate();
  private lastBatchItems = 0;

  constructor(
    private readonly codec: BatchCodec<Request, Payload, Result, Response>,
    private readonly settings: BatchSettings,
    private readonly instances: () => readonly BatchWorker[],
    private readonly onBatch: (items: number) => void = () => undefined,
  ) {}

  get depth(): number {
    return this.queue.length;
  }

  /** Queues one request and resolves with its own share of the batch that served it. */
  submit(request: Request, signal?: AbortSignal): Promise<Served<Response>> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    if (signal?.aborted) return Promise.reject(new ModelError('CANCELLED', 'the caller went away'));
    if (this.queue.length >= this.settings.maxQueueSize) {
      return Promise.reject(
        new ModelError('QUEUE_FULL', `queue is full (${this.settings.maxQueueSize} waiting)`, {
          retryAfterSeconds: this.retryAfterSeconds(),
        }),
      );
    }
    return new Promise<Served<Response>>((resolve, reject) => {
      const pending: Pending<Request, Response> = {
        request,
        size: this.codec.size(request),
        enqueuedAt: performance.now(),
        settled: false,
        signal,
        resolve: (value) => finish(() => resolve(value)),
        reject: (error) => finish(() => reject(error)),
      };
      const deadline = setTimeout(() => {
        this.remove(pending);
        pending.reject(new ModelError('TIMEOUT', `no result within ${this.settings.timeoutMs} ms`));
      }, this.settings.timeoutMs);
      deadline.unref();
      const abort = () => {
        this.remove(pending);
        pending.reject(new ModelError('CANCELLED', 'the caller went away'));
      };
      signal?.addEventListener('abort', abort, { once: true });
      const finish = (settle: () => void) => {
        if (pending.settled) return;
        pending.settled = true;
        clearTimeout(deadline);
        signal?.removeEventListener('abort', abort);
        settle();
      };
      this.queue.push(pending);
      this.queuedItems += pending.size;
      this.pump();
    });
  }

  /** Refuses new requests and fails the waiting ones; running batches finish. */
  close(error: ModelError): void {
    this.closedWith = error;
    clearTimeout(this.timer);
    for (const pending of this.queue.splice(0)) pending.reject(error);
    this.queuedItems = 0;
  }

  /** Starts batches while instances have room; call again when one frees up. */
  pump(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.queue.length > 0) {
      const instance = this.instances().find(
        (candidate) => candidate.isAlive && candidate.running < candidate.capacity,
      );
      const oldest = this.queue[0];
      if (!instance || !oldest) return;
      const waited = performance.now() - oldest.enqueuedAt;
      // Hold a partial batch only while traffic suggests more is on its way (the last batch was
      // bigger than what waits now), so a lone caller never pays the delay.
      const moreLikely = this.lastBatchItems > this.queuedItems;
      if (
        moreLikely &&
        this.queuedItems < this.settings.maxBatchSize &&
        waited < this.settings.maxQueueDelayMs
      ) {
        this.timer = setTimeout(() => this.pump(), this.settings.maxQueueDelayMs - waited);
        return;
      }
      this.dispatch(instance, this.takeBatch());
    }
  }

  private takeBatch(): Array<Pending<Request, Response>> {
    const first = this.queue.shift() as Pending<Request, Response>;
    const batch = [first];
    let items = first.size;
    for (let next = this.queue[0]; next; next = this.queue[0]) {
      if (items + next.size > this.settings.maxBatchSize) break;
      if (!this.codec.compatible(first.request, next.request)) break;
      batch.push(this.queue.shift() as Pending<Request, Response>);
      items += next.size;
    }
    this.queuedItems -= items;
    return batch;
  }

  private dispatch(instance: BatchWorker, batch: Array<Pending<Request, Response>>): void {
    instance.running += 1;
    const started = performance.now();
    const requests = batch.map((pending) => pending.request);
    const batchSize = batch.reduce((sum, pending) => sum + pending.size, 0);
    this.lastBatchItems = batchSize;
    this.onBatch(batchSize);
    const { payload, transfer, onEvent } = this.codec.merge(requests);
    // A call serving one caller stops early when that caller leaves; a shared batch runs on.
    const signal = batch.length === 1 ? batch[0]?.signal : undefined;
    instance
      .call(payload, { transfer, ...(onEvent ? { onEvent } : {}), ...(signal ? { signal } : {}) })
      .then(
        ({ result, inferenceTimeMs }) => {
          this.millisecondsPerItem =
            0.8 * this.millisecondsPerItem + (0.2 * inferenceTimeMs) / batchSize;
          this.drain.record(batchSize);
          const responses = this.codec.split(result as Result, requests);
          batch.forEach((pending, index) => {
            const response = responses[index];
            if (response instanceof ModelError) {
              pending.reject(response);
              return;
            }
            pending.resolve({
              response: response as Response,
              execution: { batchSize, queueTimeMs: started - pending.enqueuedAt, inferenceTimeMs },
            });
          });
        },
        (error: unknown) => {
          const failure = error instanceof Error ? error : new Error(String(error));
          for (const pending of batch) pending.reject(failure);
        },
      )
      .finally(() => {
        instance.running -= 1;
        this.pump();
      });
  }

  private remove(pending: Pending<Request, Response>): void {
    const index = this.queue.indexOf(pending);
    if (index === -1) return;
    this.queue.splice(index, 1);
    this.queuedItems -= pending.size;
  }

  /**
   * When the backlog will have drained at the rate this queue has been finishing items; before
   * there is a measured rate, from the model's own time per item.
   */
  private retryAfterSeconds(): number {
    const perSecond = this.drain.perSecond();
    const instances = Math.max(1, this.instances().length);
    const seconds =
      perSecond === undefined
        ? (this.queuedItems * this.millisecondsPerItem) / instances / 1000
        : this.queuedItems / perSecond;
    return Math.max(1, Math.ceil(seconds));
  }
}
