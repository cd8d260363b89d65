import { Worker } from 'node:worker_threads';
import { ModelError } from '../model-error.js';
import type { BatchWorker, CallResult, WorkerCallOptions } from '../serving/batch-worker.js';
import type { WorkerMessage, WorkerRequest, WorkerSetup } from './worker-protocol.js';
import { workerExecArgv, workerScript } from './worker-script.js';

interface PendingCall {
  resolve: (value: CallResult<unknown>) => void;
  reject: (error: Error) => void;
  onEvent: ((event: unknown) => void) | undefined;
}

/** One worker thread holding one copy of a model; the main thread's handle to it. */
export class WorkerInstance implements BatchWorker {
  readonly metadata: unknown;
  running = 0;
  private readonly worker: Worker;
  private readonly pending = new Map<number, PendingCall>();
  private nextId = 0;
  private alive = true;
  /** Called once if the thread dies on its own (a crash), not after terminate(). */
  onCrash: ((error: Error) => void) | undefined;

  private constructor(
    worker: Worker,
    metadata: unknown,
    readonly capacity: number,
  ) {
    this.worker = worker;
    this.metadata = metadata;
    worker.on('message', (message: WorkerMessage) => this.settle(message));
    worker.on('error', (error) => this.die(error));
    worker.on('exit', (code) => this.die(new Error(`model worker exited with code ${code}`)));
  }

  /** Starts a worker and resolves once its model has loaded (and warmed up). */
  static start(setup: WorkerSetup, capacity: number): Promise<WorkerInstance> {
    const worker = new Worker(workerScript('worker/model-worker'), {
      workerData: setup,
      execArgv: workerExecArgv(),
      name: `mlrpc ${setup.entry.id}@${setup.entry.version}`,
    });
    return new Promise((resolve, reject) => {
      // Remove only our own listeners: removeAllListeners() would also drop Node's internal
      // hooks that keep the worker's message port referenced, and replies would never arrive.
      const cleanUp = () => {
        worker.off('error', fail);
        worker.off('exit', exitEarly);
        worker.off('message', first);
      };
      const fail = (error: Error) => {
        cleanUp();
        void worker.terminate();
        reject(error);
      };
      const exitEarly = (code: number) =>
        fail(new Error(`model worker exited with code ${code} while loading`));
      const first = (message: WorkerMessage) => {
        if (message.type === 'loaded') {
          cleanUp();
          resolve(new WorkerInstance(worker, message.metadata, capacity));
        } else if (message.type === 'load-failed') {
          fail(new ModelError(message.code, message.message));
        } else {
          fail(new Error(`model worker sent ${message.type} before loading`));
        }
      };
      worker.on('error', fail);
      worker.on('exit', exitEarly);
      worker.on('message', first);
    });
  }

  get isAlive(): boolean {
    return this.alive;
  }

  /** Sends one merged call; its buffers move to the worker instead of being copied. */
  call(payload: unknown, options: WorkerCallOptions = {}): Promise<CallResult<unknown>> {
    if (!this.alive)
      return Promise.reject(new ModelError('INFERENCE_FAILED', 'model worker is gone'));
    const id = this.nextId++;
    return new Promise<CallResult<unknown>>((resolve, reject) => {
      const onAbort = (): void => {
        if (!this.pending.has(id)) return;
        const cancel: WorkerRequest = { type: 'cancel', id };
        this.worker.postMessage(cancel);
      };
      // A long-lived signal (a job's, across many calls) must not collect a listener per call.
      const settle = (): void => options.signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, {
        resolve: (result) => {
          settle();
          resolve(result);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
        onEvent: options.onEvent,
      });
      const request: WorkerRequest = { type: 'run', id, payload };
      this.worker.postMessage(request, options.transfer ?? []);
      options.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /**
   * Ends the thread once running calls finish: terminating a thread inside an onnxruntime call
   * aborts the whole process. After `graceMs` it is terminated regardless.
   */
  async terminate(graceMs = 30_000): Promise<void> {
    this.alive = false;
    this.onCrash = undefined;
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    const deadline = Date.now() + graceMs;
    while (this.pending.size > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const request: WorkerRequest = { type: 'dispose' };
    this.worker.postMessage(request);
    const timer = setTimeout(
      () => void this.worker.terminate(),
      Math.max(1_000, deadline - Date.now()),
    );
    await exited;
    clearTimeout(timer);
  }

  private settle(message: WorkerMessage): void {
    if (message.type === 'events') {
      for (const [id, event] of message.events) this.pending.get(id)?.onEvent?.(event);
      return;
    }
    if (message.type !== 'result' && message.type !== 'failed') return;
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    if (message.type === 'result') {
      pending.resolve({ result: message.result, inferenceTimeMs: message.inferenceTimeMs });
    } else {
      pending.reject(new ModelError(message.code, message.message));
    }
  }

  private die(error: Error): void {
    if (!this.alive) return;
    this.alive = false;
    for (const pending of this.pending.values()) {
      pending.reject(
        new ModelError('INFERENCE_FAILED', `model worker crashed: ${error.message}`, {
          cause: error,
        }),
      );
    }
    this.pending.clear();
    this.onCrash?.(error);
  }
}
