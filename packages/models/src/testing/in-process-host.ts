import { ModelError } from '../model-error.js';
import type { ModelEntry } from '../model-config.js';
import type { RuntimeSettings } from '../runtime/load-context.js';
import type { BatchWorker, CallResult, WorkerCallOptions } from '../serving/batch-worker.js';
import type { ModelHost } from '../serving/model-host.js';
import type { AnyTaskDefinition } from '../tasks/task-definition.js';
import { taskTable } from '../tasks/task-table.js';

/** Fake models by `id@version` or `id`, or a loader that makes (or fails to make) one per entry. */
export type FakeModels = Record<string, object> | ((entry: ModelEntry) => Promise<object>);

const testSettings: RuntimeSettings = {
  modelsDir: 'models',
  cacheDir: '.cache/models',
  offline: true,
  maxImagePixels: 40_000_000,
};

/** Runs a task's real runtime on a fake model, in this thread. */
class InProcessInstance implements BatchWorker {
  readonly isAlive = true;
  running = 0;

  constructor(
    private readonly definition: AnyTaskDefinition,
    private readonly model: object,
    readonly capacity: number,
  ) {}

  async call(payload: unknown, options: WorkerCallOptions): Promise<CallResult<unknown>> {
    const started = performance.now();
    const controller = new AbortController();
    const abort = () => controller.abort();
    options.signal?.addEventListener('abort', abort, { once: true });
    try {
      const result: unknown = await this.definition.runtime.run(this.model, payload, {
        signal: controller.signal,
        report: options.onEvent ?? (() => undefined),
        settings: testSettings,
      });
      return { result, inferenceTimeMs: performance.now() - started };
    } finally {
      options.signal?.removeEventListener('abort', abort);
    }
  }
}

/**
 * A host that serves fake models in-process, keyed by `id@version` or `id`: the router, the
 * manager, batching and every task's checks and output shaping run for real, no weights needed.
 */
export function inProcessHost(models: FakeModels): ModelHost {
  const load =
    typeof models === 'function'
      ? models
      : (entry: ModelEntry) => {
          const model = models[`${entry.id}@${entry.version}`] ?? models[entry.id];
          return model
            ? Promise.resolve(model)
            : Promise.reject(
                new ModelError(
                  'MODEL_LOAD_FAILED',
                  `no fake model for ${entry.id}@${entry.version}`,
                ),
              );
        };
  return async (entry) => {
    const model = await load(entry);
    const definition: AnyTaskDefinition = taskTable[entry.task];
    const capacity = definition.concurrency?.(entry) ?? 1;
    const instances = Array.from(
      { length: entry.instances },
      () => new InProcessInstance(definition, model, capacity),
    );
    return {
      metadata: definition.runtime.describe?.(model),
      instances: () => instances,
      onCapacity: () => undefined,
      dispose: () => definition.runtime.dispose(model),
    };
  };
}
