import type { ModelInfo, ModelState, ModelStats } from '@mlrpc/schema';
import type { DevicePlan } from './device/plan-devices.js';
import type { ModelEntry } from './model-config.js';
import { redactLocations } from './redact-locations.js';
import { ModelError } from './model-error.js';
import type { ExecutionDevice } from './runtime/load-context.js';
import type { ServedModel, ServingStats } from './serving/served-model.js';

export interface VersionLoadContext extends ServingStats {
  device: ExecutionDevice;
}

/** Loads one config entry on one device; the manager decides where (worker threads, a fake host). */
export type VersionLoader = (
  entry: ModelEntry,
  context: VersionLoadContext,
) => Promise<ServedModel>;

export interface ModelVersionOptions {
  /** After a failed load, callers get MODEL_LOAD_FAILED at once for this long, then it is retried. */
  loadRetryDelayMs: number;
  planDevices: (device: ModelEntry['device']) => Promise<DevicePlan>;
}

type InfoFlags = Pick<ModelInfo, 'isDefaultVersion' | 'isTaskDefault' | 'trafficShare'>;

const outcomeByCode: Partial<Record<string, keyof ModelStats>> = {
  CANCELLED: 'cancelled',
  TIMEOUT: 'timedOut',
  QUEUE_FULL: 'rejected',
};

/**
 * One configured model version: loads lazily with one load in flight, retries after a failed
 * load, counts its traffic, and unloads only once the calls running on it have finished.
 */
export class ModelVersion {
  readonly entry: ModelEntry;
  readonly stats: ModelStats = {
    requests: 0,
    completed: 0,
    failed: 0,
    cancelled: 0,
    timedOut: 0,
    rejected: 0,
    batches: 0,
    items: 0,
    generatedTokens: 0,
  };
  lastUsedAt = 0;
  private state: ModelState = 'unloaded';
  private model: ServedModel | undefined;
  private loading: Promise<ServedModel> | undefined;
  private error: string | null = null;
  private failedAt = 0;
  private activeDevice: ExecutionDevice | null = null;
  private deviceNote: string | null = null;
  private loadTimeMs: number | null = null;
  private running = 0;
  private idleWaiters: Array<() => void> = [];
  private disposing: Promise<void> | undefined;
  private retired: ServedModel[] = [];

  constructor(
    entry: ModelEntry,
    private readonly load: VersionLoader,
    private readonly options: ModelVersionOptions,
  ) {
    this.entry = entry;
  }

  get key(): string {
    return `${this.entry.id}@${this.entry.version}`;
  }

  get currentState(): ModelState {
    return this.state;
  }

  get device(): ExecutionDevice | null {
    return this.activeDevice;
  }

  get isBusy(): boolean {
    return this.running > 0 || this.loading !== undefined;
  }

  /** True when the model runs on another device than the GPU it was configured for. */
  get fellBack(): boolean {
    return (
      this.activeDevice !== null &&
      this.entry.device !== 'auto' &&
      this.activeDevice !== this.entry.device
    );
  }

  /** Returns the loaded model, loading it first if needed; concurrent callers share one load. */
  async acquire(): Promise<ServedModel> {
    this.lastUsedAt = Date.now();
    if (this.model) return this.model;
    if (this.loading) return this.loading;
    const waitMs = this.failedAt + this.options.loadRetryDelayMs - Date.now();
    if (this.state === 'failed' && waitMs > 0) {
      throw new ModelError('MODEL_LOAD_FAILED', `${this.key} failed to load: ${this.error}`, {
        retryAfterSeconds: Math.ceil(waitMs / 1000),
      });
    }
    this.loading = this.loadOnBestDevice();
    try {
      return await this.loading;
    } finally {
      this.loading = undefined;
    }
  }

  /** Runs one call, keeping the model alive until it ends even if unloaded meanwhile. */
  async run<Result>(call: (model: ServedModel) => Promise<Result>): Promise<Result> {
    this.stats.requests += 1;
    this.running += 1;
    try {
      const result = await call(await this.acquire());
      this.stats.completed += 1;
      return result;
    } catch (error) {
      const code = error instanceof ModelError ? error.code : undefined;
      this.stats[(code && outcomeByCode[code]) ?? 'failed'] += 1;
      throw error;
    } finally {
      this.running -= 1;
      this.lastUsedAt = Date.now();
      if (this.running === 0) {
        await this.disposeRetired();
        for (const wake of this.idleWaiters.splice(0)) wake();
      }
    }
  }

  /** Resolves once no call runs on this version and no model of it is still being disposed. */
  whenIdle(): Promise<void> {
    if (this.running === 0) return this.disposing ?? Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Drops the model; its memory is freed once running calls finish. */
  async unload(): Promise<void> {
    if (this.loading) await this.loading.catch(() => undefined);
    if (this.model) this.retired.push(this.model);
    this.model = undefined;
    this.state = 'unloaded';
    this.error = null;
    this.activeDevice = null;
    this.deviceNote = null;
    if (this.running === 0) await this.disposeRetired();
  }

  queueDepth(): number {
    return this.model?.queueDepth() ?? 0;
  }

  runningCalls(): number {
    return this.model?.running() ?? 0;
  }

  info(flags: InfoFlags): ModelInfo {
    const { entry } = this;
    return {
      id: entry.id,
      version: entry.version,
      task: entry.task,
      source: entry.source,
      dtype: entry.dtype,
      device: entry.device,
      activeDevice: this.activeDevice,
      deviceNote: this.deviceNote,
      state: this.state,
      error: this.error,
      loadTimeMs: this.loadTimeMs,
      instances: entry.instances,
      maxBatchSize: entry.maxBatchSize,
      maxQueueDelayMs: entry.maxQueueDelayMs,
      maxQueueSize: entry.maxQueueSize,
      queueDepth: this.queueDepth(),
      running: this.runningCalls(),
      stats: { ...this.stats },
      ...flags,
    };
  }

  private async loadOnBestDevice(): Promise<ServedModel> {
    this.state = 'loading';
    this.error = null;
    const started = performance.now();
    const plan = await this.options.planDevices(this.entry.device);
    const failures: string[] = [];
    const onBatch = (items: number) => {
      this.stats.batches += 1;
      this.stats.items += items;
    };
    const onTokens = (tokens: number) => {
      this.stats.generatedTokens += tokens;
    };
    for (const device of plan.candidates) {
      try {
        const model = await this.load(this.entry, { device, onBatch, onTokens });
        this.model = model;
        this.state = 'ready';
        this.activeDevice = device;
        this.loadTimeMs = Math.round(performance.now() - started);
        this.deviceNote =
          failures.length > 0 ? `fell back to ${device}: ${failures.join('; ')}` : plan.note;
        return model;
      } catch (error) {
        failures.push(
          `${device}: ${redactLocations(error instanceof Error ? error.message : String(error))}`,
        );
      }
    }
    this.state = 'failed';
    this.failedAt = Date.now();
    this.error = failures.join('; ');
    throw new ModelError('MODEL_LOAD_FAILED', `${this.key} failed to load: ${this.error}`, {
      retryAfterSeconds: Math.max(1, Math.ceil(this.options.loadRetryDelayMs / 1000)),
    });
  }

  private async disposeRetired(): Promise<void> {
    const retired = this.retired;
    this.retired = [];
    const work = Promise.all(retired.map((model) => model.dispose().catch(() => undefined))).then(
      () => undefined,
    );
    // Disposal waits for calls still inside a worker; until it is done the version is not idle.
    const previous = this.disposing;
    this.disposing = Promise.all([previous, work]).then(() => undefined);
    const current = this.disposing;
    await current;
    if (this.disposing === current) this.disposing = undefined;
  }
}
