import type {
  EmbedOutput,
  HealthOutput,
  ImagePredictOutput,
  ModelInfo,
  ModelTask,
} from '@mlrpc/schema';
import type { LoadedModel, ModelForTask, ModelLoader } from './backend/model-backend.js';
import { modelLoaders } from './backend/model-loaders.js';
import { decodeImage } from './image/decode-image.js';
import type { ModelConfig } from './model-config.js';
import { ModelError, toModelError } from './model-error.js';
import { ModelSlot } from './model-slot.js';
import { splitRows } from './split-rows.js';

export interface ModelManagerOptions {
  config: ModelConfig;
  /** After a failed load, how long callers are refused before the load is tried again. */
  loadRetryDelayMs?: number;
  /** Images with more pixels are refused before decoding. */
  maxImagePixels?: number;
  /** Replaces the backend per task; the default table runs transformers.js. */
  loaders?: Partial<{ [Task in ModelTask]: ModelLoader<Task> }>;
}

export interface ModelSelection {
  model?: string | undefined;
  version?: string | undefined;
  signal?: AbortSignal | undefined;
}

export interface EmbedRequest extends ModelSelection {
  texts: string[];
}

export interface ClassifyImageRequest extends ModelSelection {
  image: Uint8Array;
  topK: number;
}

export type ModelsHealth = Omit<HealthOutput, 'version' | 'uptimeSeconds'>;

/**
 * The one entry point the API uses for inference: resolves which model version serves a call,
 * loads it lazily, runs it and reports timings. Callers never see which library runs a model.
 */
export class ModelManager {
  private readonly config: ModelConfig;
  private readonly slots: ModelSlot[];
  private readonly maxImagePixels: number;

  constructor(options: ModelManagerOptions) {
    this.config = options.config;
    this.maxImagePixels = options.maxImagePixels ?? 40_000_000;
    const loaders = { ...modelLoaders, ...options.loaders };
    const slotOptions = { loadRetryDelayMs: options.loadRetryDelayMs ?? 5_000 };
    this.slots = options.config.models.map(
      (entry) => new ModelSlot(entry, loaders[entry.task] as ModelLoader<ModelTask>, slotOptions),
    );
  }

  /** Sentence embeddings, one vector per text, in input order. */
  async embed(request: EmbedRequest): Promise<EmbedOutput> {
    const slot = this.resolve('feature-extraction', request);
    return this.runOn(slot, 'feature-extraction', request.signal, async (model) => {
      const started = performance.now();
      const batch = await model.embed(request.texts, { signal: request.signal });
      return {
        model: slot.entry.id,
        version: slot.entry.version,
        inferenceTimeMs: performance.now() - started,
        embeddings: splitRows(batch.data, batch.dimension),
        dimension: batch.dimension,
      };
    });
  }

  /** Top-k labels for one encoded image (any format sharp decodes). */
  async classifyImage(request: ClassifyImageRequest): Promise<ImagePredictOutput> {
    const slot = this.resolve('image-classification', request);
    const image = await decodeImage(request.image, { maxPixels: this.maxImagePixels });
    return this.runOn(slot, 'image-classification', request.signal, async (model) => {
      const started = performance.now();
      const [predictions] = await model.classify([image], {
        topK: request.topK,
        signal: request.signal,
      });
      return {
        model: slot.entry.id,
        version: slot.entry.version,
        inferenceTimeMs: performance.now() - started,
        predictions: predictions ?? [],
      };
    });
  }

  /** Every configured model version with its state, device and errors. */
  list(): ModelInfo[] {
    return this.slots.map((slot) => slot.info(this.flagsOf(slot)));
  }

  /** Loads a model version now (warm-up) instead of on its first call. */
  async load(id: string, version?: string): Promise<ModelInfo> {
    const slot = this.find(id, version);
    await slot.acquire();
    return slot.info(this.flagsOf(slot));
  }

  async unload(id: string, version?: string): Promise<ModelInfo> {
    const slot = this.find(id, version);
    await slot.unload();
    return slot.info(this.flagsOf(slot));
  }

  /** Loads the task defaults so the first requests do not pay for loading; failures are recorded. */
  async warmUpDefaults(): Promise<void> {
    await Promise.allSettled(this.defaultSlots().map((slot) => slot.acquire()));
  }

  /** Ready when every task default is loaded: what an orchestrator's readiness probe asks. */
  isReady(): boolean {
    const defaults = this.defaultSlots();
    return defaults.length > 0 && defaults.every((slot) => slot.currentState === 'ready');
  }

  health(): ModelsHealth {
    const failed = this.slots.filter((slot) => slot.currentState === 'failed');
    const defaults = this.defaultSlots();
    const usableDefaults = defaults.filter((slot) => slot.currentState !== 'failed');
    const status =
      defaults.length === 0 || usableDefaults.length === 0
        ? 'unhealthy'
        : failed.length > 0 || this.slots.some((slot) => slot.fellBack)
          ? 'degraded'
          : 'healthy';
    return {
      status,
      gpuAvailable: this.slots.some((slot) => slot.device === 'cuda' || slot.device === 'webgpu'),
      models: this.slots.map((slot) => {
        const info = slot.info(this.flagsOf(slot));
        return {
          id: info.id,
          version: info.version,
          task: info.task,
          state: info.state,
          loaded: info.state === 'ready',
          ready: info.state === 'ready',
          device: info.activeDevice,
          error: info.error,
        };
      }),
    };
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((slot) => slot.unload()));
  }

  private async runOn<Task extends ModelTask, Result>(
    slot: ModelSlot,
    task: Task,
    signal: AbortSignal | undefined,
    call: (model: ModelForTask<Task>) => Promise<Result>,
  ): Promise<Result> {
    return slot.run(async (model: LoadedModel) => {
      if (signal?.aborted) throw new ModelError('CANCELLED', 'the caller went away');
      if (model.task !== task) {
        throw new ModelError('TASK_MISMATCH', `${slot.key} serves ${model.task}, not ${task}`);
      }
      try {
        return await call(model as ModelForTask<Task>);
      } catch (error) {
        throw toModelError(error, 'INFERENCE_FAILED', `${slot.key} failed`);
      }
    });
  }

  private resolve(task: ModelTask, selection: ModelSelection): ModelSlot {
    const id = selection.model ?? this.config.defaults[task];
    if (id === undefined) {
      throw new ModelError('MODEL_NOT_FOUND', `no model given and no default model for ${task}`);
    }
    const slot = this.find(id, selection.version);
    if (slot.entry.task !== task) {
      throw new ModelError('TASK_MISMATCH', `model "${id}" serves ${slot.entry.task}, not ${task}`);
    }
    return slot;
  }

  private find(id: string, version: string | undefined): ModelSlot {
    const versions = this.slots.filter((slot) => slot.entry.id === id);
    if (versions.length === 0) {
      const known = [...new Set(this.slots.map((slot) => slot.entry.id))].join(', ');
      throw new ModelError('MODEL_NOT_FOUND', `unknown model "${id}"; known: ${known || 'none'}`);
    }
    if (version === undefined) return this.defaultVersionOf(versions);
    const slot = versions.find((candidate) => candidate.entry.version === version);
    if (!slot) {
      const known = versions.map((candidate) => candidate.entry.version).join(', ');
      throw new ModelError(
        'VERSION_NOT_FOUND',
        `model "${id}" has no version "${version}"; known: ${known}`,
      );
    }
    return slot;
  }

  private defaultVersionOf(versions: ModelSlot[]): ModelSlot {
    const first = versions[0];
    if (!first) throw new Error('defaultVersionOf needs at least one version');
    return versions.find((slot) => slot.entry.default) ?? first;
  }

  private defaultSlots(): ModelSlot[] {
    return Object.values(this.config.defaults).map((id) =>
      this.defaultVersionOf(this.slots.filter((slot) => slot.entry.id === id)),
    );
  }

  private flagsOf(slot: ModelSlot): { isDefaultVersion: boolean; isTaskDefault: boolean } {
    const versions = this.slots.filter((candidate) => candidate.entry.id === slot.entry.id);
    const isDefaultVersion = this.defaultVersionOf(versions) === slot;
    return {
      isDefaultVersion,
      isTaskDefault: isDefaultVersion && this.config.defaults[slot.entry.task] === slot.entry.id,
    };
  }
}
