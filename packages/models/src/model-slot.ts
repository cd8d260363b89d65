import type { ModelInfo, ModelState } from '@mlrpc/schema';
import type { ExecutionDevice, LoadedModel, ModelLoader } from './backend/model-backend.js';
import { deviceCandidates } from './device.js';
import type { ModelEntry } from './model-config.js';
import { ModelError } from './model-error.js';

export interface ModelSlotOptions {
  /** After a failed load, callers get MODEL_LOAD_FAILED at once for this long, then it is retried. */
  loadRetryDelayMs: number;
}

type AnyLoader = (entry: ModelEntry, context: { device: ExecutionDevice }) => Promise<LoadedModel>;

/**
 * One configured model version: loads lazily with one load in flight, retries after a failed
 * load, and unloads only once the calls running on it have finished.
 */
export class ModelSlot {
  readonly entry: ModelEntry;
  private readonly load: AnyLoader;
  private readonly options: ModelSlotOptions;
  private state: ModelState = 'unloaded';
  private model: LoadedModel | undefined;
  private loading: Promise<LoadedModel> | undefined;
  private error: string | null = null;
  private failedAt = 0;
  private activeDevice: ExecutionDevice | null = null;
  private deviceNote: string | null = null;
  private loadTimeMs: number | null = null;
  private running = 0;
  private retired: LoadedModel[] = [];

  constructor(
    entry: ModelEntry,
    loader: ModelLoader<ModelEntry['task']>,
    options: ModelSlotOptions,
  ) {
    this.entry = entry;
    this.load = loader;
    this.options = options;
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

  get fellBack(): boolean {
    return (
      this.activeDevice !== null &&
      this.entry.device !== 'auto' &&
      this.activeDevice !== this.entry.device
    );
  }

  /** Returns the loaded model, loading it first if needed; concurrent callers share one load. */
  async acquire(): Promise<LoadedModel> {
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

  /** Runs one call on the model, keeping it alive until the call ends even if unloaded meanwhile. */
  async run<Result>(call: (model: LoadedModel) => Promise<Result>): Promise<Result> {
    const model = await this.acquire();
    this.running += 1;
    try {
      return await call(model);
    } finally {
      this.running -= 1;
      if (this.running === 0) await this.disposeRetired();
    }
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

  info(flags: { isDefaultVersion: boolean; isTaskDefault: boolean }): ModelInfo {
    return {
      id: this.entry.id,
      version: this.entry.version,
      task: this.entry.task,
      source: this.entry.source,
      dtype: this.entry.dtype,
      device: this.entry.device,
      activeDevice: this.activeDevice,
      deviceNote: this.deviceNote,
      state: this.state,
      error: this.error,
      loadTimeMs: this.loadTimeMs,
      ...flags,
    };
  }

  private async loadOnBestDevice(): Promise<LoadedModel> {
    this.state = 'loading';
    this.error = null;
    const started = performance.now();
    const failures: string[] = [];
    for (const device of deviceCandidates(this.entry.device)) {
      try {
        const model = await this.load(this.entry, { device });
        this.model = model;
        this.state = 'ready';
        this.activeDevice = device;
        this.loadTimeMs = Math.round(performance.now() - started);
        this.deviceNote =
          failures.length > 0
            ? `fell back to ${device}: ${failures.join('; ')}`
            : this.entry.device === 'auto'
              ? `auto chose ${device}`
              : null;
        return model;
      } catch (error) {
        failures.push(`${device}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    this.state = 'failed';
    this.failedAt = Date.now();
    this.error = failures.join('; ');
    throw new ModelError('MODEL_LOAD_FAILED', `${this.key} failed to load: ${this.error}`, {
      retryAfterSeconds: Math.ceil(this.options.loadRetryDelayMs / 1000),
    });
  }

  private async disposeRetired(): Promise<void> {
    const retired = this.retired;
    this.retired = [];
    await Promise.all(retired.map((model) => model.dispose().catch(() => undefined)));
  }
}
