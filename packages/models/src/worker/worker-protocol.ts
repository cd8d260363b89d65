import type { ErrorCode } from '@mlrpc/schema';
import type { ModelEntry } from '../model-config.js';
import type { ExecutionDevice, RuntimeSettings } from '../runtime/load-context.js';

/** What a model worker is started with (its `workerData`); the entry's task picks its runtime. */
export interface WorkerSetup {
  entry: ModelEntry;
  device: ExecutionDevice;
  settings: RuntimeSettings;
  /** CPU priority of the worker and its inference threads (Linux nice, 0..19). */
  niceness: number;
}

export type WorkerRequest =
  /** One merged call: its payload is the task's, which only the task's runtime reads. */
  | { type: 'run'; id: number; payload: unknown }
  /** Stop a running call early (generation stops after the current token). */
  | { type: 'cancel'; id: number }
  /** Release the model and end the thread; sent once no call is running. */
  | { type: 'dispose' };

export type WorkerMessage =
  | { type: 'loaded'; metadata: unknown }
  | { type: 'load-failed'; code: ErrorCode; message: string }
  /** Events of running calls, gathered over one turn of the worker (one step of a batch). */
  | { type: 'events'; events: Array<[id: number, event: unknown]> }
  | { type: 'result'; id: number; result: unknown; inferenceTimeMs: number }
  | { type: 'failed'; id: number; code: ErrorCode; message: string };
