import { setMaxListeners } from 'node:events';
import type { ModelInfo, ModelTask } from '@mlrpc/schema';
import { planDevices, type DevicePlan } from './device/plan-devices.js';
import { probeDevices, type DeviceProbe } from './device/probe-devices.js';
import type { ModelConfig, ModelEntry } from './model-config.js';
import { ModelError, toModelError } from './model-error.js';
import { ModelRegistry, type ModelSelection, type ModelsHealth } from './model-registry.js';
import { ModelVersion, type VersionLoader } from './model-version.js';
import type { RuntimeSettings } from './runtime/load-context.js';
import type { ExecutionStats } from './serving/batch-queue.js';
import type { ModelHost } from './serving/model-host.js';
import { serveOnQueue } from './serving/served-model.js';
import type { AnyTaskDefinition, ServedBy } from './tasks/task-definition.js';
import { taskTable, type TaskInput, type TaskOutput } from './tasks/task-table.js';
import { workerThreadHost } from './worker/worker-host.js';

export interface ModelManagerOptions {
  config: ModelConfig;
  /** Where models are found and cached, and per-call limits; every model thread gets them. */
  settings: RuntimeSettings;
  /** Where local models load and run; worker threads unless a test passes a fake host. */
  host?: ModelHost;
  /** After a failed load, how long callers are refused before the load is tried again. */
  loadRetryDelayMs?: number;
  /** Most model versions loaded at once; the least recently used idle one is unloaded. */
  maxLoadedModels?: number;
  /** Replaces how devices are chosen (the default probes GPUs in a throwaway worker). */
  planDevices?: (device: ModelEntry['device']) => Promise<DevicePlan>;
  /** Resolves `env:NAME` API keys of upstream models (the server passes its environment). */
  secret?: (name: string) => string | undefined;
  /** Told about worker crashes and other trouble that does not fail a request. */
  onTrouble?: (version: string, message: string) => void;
}

/** What every run takes besides its task's input: which model, and a way to stop. */
export interface RunOptions extends ModelSelection {
  signal?: AbortSignal | undefined;
  /** Told which version will answer, before it runs (a stream's first event). */
  onServedBy?: ((servedBy: { model: string; version: string }) => void) | undefined;
}

function servedBy(version: ModelVersion, execution: ExecutionStats): ServedBy {
  return { model: version.entry.id, version: version.entry.version, ...execution };
}

/**
 * The one entry point for inference: routes a call to a model version, loads it lazily where
 * its host runs models, queues and batches it there, and reports how it was served. It knows
 * no task: each one's checks, batching and output shape come from the task table.
 */
export class ModelManager {
  private readonly registry: ModelRegistry;
  private readonly maxLoadedModels: number;
  private probe: DeviceProbe | undefined;

  constructor(options: ModelManagerOptions) {
    this.maxLoadedModels = options.maxLoadedModels ?? Number.POSITIVE_INFINITY;
    const planner = options.planDevices ?? planDevices;
    if (!options.planDevices && options.config.models.some((entry) => entry.device === 'auto')) {
      void probeDevices().then((probe) => (this.probe = probe));
    }
    const host = options.host ?? workerThreadHost(options.settings);
    const versions = options.config.models.map((entry) => {
      const key = `${entry.id}@${entry.version}`;
      const definition: AnyTaskDefinition = taskTable[entry.task];
      const load: VersionLoader = async (versionEntry, context) => {
        const hostContext = {
          device: context.device,
          onTrouble: (message: string) => options.onTrouble?.(key, message),
          ...(options.secret ? { secret: options.secret } : {}),
        };
        const provider = versionEntry.provider;
        const providerHost = provider === 'local' ? host : definition.providers?.[provider];
        if (!providerHost) {
          throw new ModelError('MODEL_LOAD_FAILED', `${entry.task} has no ${provider} provider`);
        }
        const hosted = await providerHost(versionEntry, hostContext);
        void this.registry.enforceLoadedLimit(key, this.maxLoadedModels);
        return serveOnQueue(definition, versionEntry, hosted, context);
      };
      return new ModelVersion(entry, load, {
        loadRetryDelayMs: options.loadRetryDelayMs ?? 5_000,
        planDevices: planner,
      });
    });
    this.registry = new ModelRegistry(options.config, versions);
  }

  /**
   * Runs one call of a task: routes it, checks it against the loaded model, queues it, and
   * shapes the answer. A task whose models can stand in (reranking by an embedding model) runs
   * through the task's bridge instead.
   */
  async run<Task extends ModelTask>(
    task: Task,
    input: TaskInput<Task> & RunOptions,
  ): Promise<TaskOutput<Task>> {
    const definition: AnyTaskDefinition = taskTable[task];
    const bridge = definition.bridge;
    const version = this.registry.route(task, input, bridge ? [bridge.task] : []);
    const { id, version: versionName } = version.entry;
    if (bridge && version.entry.task === bridge.task) {
      const pinned = { model: id, version: versionName };
      // The bridged calls (a rerank's document chunks, each an embed call) all watch the one
      // caller's signal, by design: no listener leaks, so no warning past Node's default ten.
      if (input.signal) setMaxListeners(0, input.signal);
      return (await bridge.run(input, pinned, (other) =>
        this.run(bridge.task, { ...(other as object), ...pinned, signal: input.signal } as never),
      )) as TaskOutput<Task>;
    }
    input.onServedBy?.({ model: id, version: versionName });
    return version.run(async (model) => {
      if (input.signal?.aborted) throw new ModelError('CANCELLED', 'the caller went away');
      try {
        const request: unknown = definition.admit(input, model.metadata);
        const { response, execution } = await model.submit(request, input.signal);
        return definition.output(
          response,
          servedBy(version, execution),
          request,
          model.metadata,
        ) as TaskOutput<Task>;
      } catch (error) {
        throw toModelError(error, 'INFERENCE_FAILED', `${version.key} failed`);
      }
    });
  }

  /** The version a call with this selection would get now: to keep a job's parts on one version. */
  pin(task: ModelTask, selection: ModelSelection): { model: string; version: string } {
    const bridge = (taskTable[task] as AnyTaskDefinition).bridge;
    const version = this.registry.route(task, selection, bridge ? [bridge.task] : []);
    return { model: version.entry.id, version: version.entry.version };
  }

  /** The task a model serves; with no model named, the first of `tasks` that has a default. */
  resolveTask(model: string | undefined, tasks: readonly ModelTask[]): ModelTask {
    if (model !== undefined) return this.registry.taskOf(model);
    const task = tasks.find((candidate) => this.registry.hasDefault(candidate));
    if (!task) {
      throw new ModelError(
        'MODEL_NOT_FOUND',
        `no model given and no default model for ${tasks.join(' or ')}`,
      );
    }
    return task;
  }

  /** Every configured model version with its state, device, queue and counters. */
  list(): ModelInfo[] {
    return this.registry.all.map((version) => this.registry.infoOf(version));
  }

  /** The versions of one model. */
  get(id: string): ModelInfo[] {
    return this.registry.versionsOf(id).map((version) => this.registry.infoOf(version));
  }

  /** Loads a model version now (with warm-up) instead of on its first call. */
  async load(id: string, version?: string): Promise<ModelInfo> {
    const configured = this.registry.find(id, version);
    await configured.acquire();
    return this.registry.infoOf(configured);
  }

  /** Unloads a model version; calls already queued on it finish first. */
  async unload(id: string, version?: string): Promise<ModelInfo> {
    const configured = this.registry.find(id, version);
    await configured.unload();
    return this.registry.infoOf(configured);
  }

  /** Loads the task defaults so the first requests do not pay for loading; failures are recorded. */
  async warmUpDefaults(): Promise<void> {
    await Promise.allSettled(this.registry.preloadedVersions().map((version) => version.acquire()));
  }

  /** Ready when every task default is loaded: what an orchestrator's readiness probe asks. */
  isReady(): boolean {
    return this.registry.isReady();
  }

  /** Overall and per-model health, for /health and the health procedure. */
  health(): ModelsHealth {
    return this.registry.health(this.probe);
  }

  /**
   * Unloads every model and waits until calls still inside a worker have finished and the
   * workers are gone (each call is bounded by its deadline): ending a worker thread inside
   * onnxruntime aborts the whole process.
   */
  async close(): Promise<void> {
    const { all } = this.registry;
    await Promise.all(all.map((version) => version.unload()));
    await Promise.all(all.map((version) => version.whenIdle()));
  }
}
