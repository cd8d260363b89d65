import { parentPort, workerData } from 'node:worker_threads';
import type { ErrorCode } from '@mlrpc/schema';
import type { LoadedModel, ModelLoader } from '../backend/model-backend.js';
import { modelLoaders } from '../backend/model-loaders.js';
import { configureTransformersRuntime } from '../backend/transformers-runtime.js';
import type { ModelEntry } from '../model-config.js';
import { ModelError } from '../model-error.js';
import { lowerThreadPriority } from './lower-thread-priority.js';
import { runCall } from './run-call.js';
import { warmUp } from './warm-up.js';
import type {
  WorkerCallEvent,
  WorkerMessage,
  WorkerRequest,
  WorkerSetup,
} from './worker-protocol.js';

// Entry point of a model worker thread: loads one model, then runs the calls it is sent.
const port = parentPort;
if (!port) throw new Error('model-worker must run in a worker thread');
const setup = workerData as WorkerSetup;

function describe(error: unknown, fallback: ErrorCode): { code: ErrorCode; message: string } {
  if (error instanceof ModelError) return { code: error.code, message: error.message };
  return { code: fallback, message: error instanceof Error ? error.message : String(error) };
}

async function load(): Promise<LoadedModel> {
  lowerThreadPriority(setup.niceness);
  configureTransformersRuntime(setup.runtime);
  const loader = modelLoaders[setup.entry.task] as ModelLoader<ModelEntry['task']>;
  const model = await loader(setup.entry, {
    device: setup.device,
    modelsDir: setup.runtime.modelsDir,
  });
  if (setup.entry.warmUp) await warmUp(model);
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
        void model.dispose().finally(() => process.exit(0));
        return;
      }
      const started = performance.now();
      const controller = new AbortController();
      running.set(request.id, controller);
      const report = (event: WorkerCallEvent) => {
        const message: WorkerMessage = { type: 'event', id: request.id, event };
        port.postMessage(message);
      };
      runCall(model, request.call, { signal: controller.signal, report })
        .finally(() => running.delete(request.id))
        .then(
          ({ result, transfer }) => {
            const message: WorkerMessage = {
              type: 'result',
              id: request.id,
              result,
              inferenceTimeMs: performance.now() - started,
            };
            port.postMessage(message, transfer);
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
    const message: WorkerMessage = {
      type: 'loaded',
      metadata: model.task === 'tensor' ? model.metadata : undefined,
    };
    port.postMessage(message);
  },
  (error: unknown) => {
    const message: WorkerMessage = { type: 'load-failed', ...describe(error, 'MODEL_LOAD_FAILED') };
    port.postMessage(message);
  },
);
