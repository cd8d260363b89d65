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
      const report = (event: unknown) => {
        const message: WorkerMessage = { type: 'event', id: request.id, event };
        port.postMessage(message);
      };
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
            port.postMessage(message, runtime.transfer?.(result) ?? []);
          },
          (error: unknown) => {
            const message: WorkerMessage = {
              type: 'failed',
              id: request.id,
              ...describe(error, 'INFERENCE_FAILED'),
            };
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
