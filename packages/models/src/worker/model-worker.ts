import { parentPort, workerData } from 'node:worker_threads';
import type { ErrorCode } from '@mlrpc/schema';
import { ModelError } from '../model-error.js';
import { configureTransformersRuntime } from '../runtime/transformers-runtime.js';
import type { AnyTaskDefinition } from '../tasks/task-definition.js';
import { taskTable } from '../tasks/task-table.js';
import { lowerThreadPriority } from './lower-thread-priority.js';
import type { WorkerMessage, WorkerRequest, WorkerSetup } from './worker-protocol.js';

// Entry point of a model worker thread: loads one model with its task's runtime, then runs the
// calls it is sent. Nothing here knows any task.
const port = parentPort;
if (!port) throw new Error('model-worker must run in a worker thread');
const setup = workerData as WorkerSetup;
const { runtime }: AnyTaskDefinition = taskTable[setup.entry.task];

function describe(error: unknown, fallback: ErrorCode): { code: ErrorCode; message: string } {
  if (error instanceof ModelError) return { code: error.code, message: error.message };
  return { code: fallback, message: error instanceof Error ? error.message : String(error) };
}

async function load(): Promise<unknown> {
  lowerThreadPriority(setup.niceness);
  configureTransformersRuntime(setup.settings);
  const model = await runtime.load(setup.entry, { device: setup.device, settings: setup.settings });
  if (setup.entry.warmUp) await runtime.warmUp(model);
  return model;
}

/**
 * Events reported in one turn of this thread (every sequence of one decoding step, say) go to
 * the main thread as one message: a message per event costs both threads more than the work.
 */
const pendingEvents: Array<[number, unknown]> = [];
function flushEvents(): void {
  if (pendingEvents.length === 0) return;
  const message: WorkerMessage = { type: 'events', events: pendingEvents.splice(0) };
  port?.postMessage(message);
}
function postEvent(id: number, event: unknown): void {
  if (pendingEvents.length === 0) queueMicrotask(flushEvents);
  pendingEvents.push([id, event]);
}

load().then(
  (model) => {
    const running = new Map<number, AbortController>();
    port.on('message', (request: WorkerRequest) => {
      if (request.type === 'cancel') {
        running.get(request.id)?.abort();
        return;
      }
      if (request.type === 'dispose') {
        // Ending the thread while onnxruntime runs aborts the whole process, so the main
        // thread asks only when idle, and the model is released before the thread ends.
        void runtime.dispose(model).finally(() => process.exit(0));
        return;
      }
      const started = performance.now();
      const controller = new AbortController();
      running.set(request.id, controller);
      const report = (event: unknown) => postEvent(request.id, event);
      runtime
        .run(model, request.payload, {
          signal: controller.signal,
          report,
          settings: setup.settings,
        })
        .finally(() => running.delete(request.id))
        .then(
          (result) => {
            const message: WorkerMessage = {
              type: 'result',
              id: request.id,
              result,
              inferenceTimeMs: performance.now() - started,
            };
            // A call's events always reach the main thread before its result.
            flushEvents();
            port.postMessage(message, runtime.transfer?.(result) ?? []);
          },
          (error: unknown) => {
            const message: WorkerMessage = {
              type: 'failed',
              id: request.id,
              ...describe(error, 'INFERENCE_FAILED'),
            };
            flushEvents();
            port.postMessage(message);
          },
        );
    });
    const message: WorkerMessage = { type: 'loaded', metadata: runtime.describe?.(model) };
    port.postMessage(message);
  },
  (error: unknown) => {
    const message: WorkerMessage = { type: 'load-failed', ...describe(error, 'MODEL_LOAD_FAILED') };
    port.postMessage(message);
  },
);
