import type {
  ChatCompleteOutput,
  EmbedOutput,
  ImagePredictOutput,
  ModelInfo,
  ModelTask,
  TensorPredictOutput,
} from '@mlrpc/schema';
import type { ExecutionStats, LoadedModel, ModelForTask } from './backend/model-backend.js';
import type { TransformersRuntimeOptions } from './backend/transformers-runtime.js';
import { planDevices, type DevicePlan } from './device.js';
import { probeDevices, type DeviceProbe } from './device/probe-devices.js';
import { decodeImage } from './image/decode-image.js';
import type { ModelConfig, ModelEntry } from './model-config.js';
import { ModelError, toModelError } from './model-error.js';
import { ModelRegistry, type ModelsHealth } from './model-registry.js';
import type {
  ChatHandlers,
  ChatRequest,
  ClassifyImageRequest,
  EmbedRequest,
  PredictTensorsRequest,
} from './model-requests.js';
import { ModelSlot, type SlotLoader } from './model-slot.js';
import { splitRows } from './split-rows.js';
import { labelPredictions, toJsonTensors, toTensorValues } from './tensor-predictions.js';
import { loadUpstreamChat, type SecretLookup } from './upstream/load-upstream-chat.js';
import { loadInWorkers } from './worker/worker-backed-model.js';

export interface ModelManagerOptions {
  config: ModelConfig;
  /** Where models are found and cached; every worker thread gets the same settings. */
  runtime: TransformersRuntimeOptions;
  /** After a failed load, how long callers are refused before the load is tried again. */
  loadRetryDelayMs?: number;
  /** Images with more pixels are refused before decoding. */
  maxImagePixels?: number;
  /** Most model versions loaded at once; the least recently used idle one is unloaded. */
  maxLoadedModels?: number;
  /** Replaces how devices are chosen (the default probes GPUs in a throwaway worker). */
  planDevices?: (device: ModelEntry['device']) => Promise<DevicePlan>;
  /** Resolves `env:NAME` API keys of upstream models (the server passes its environment). */
  secret?: SecretLookup;
  /** Told about worker crashes and other trouble that does not fail a request. */
  onTrouble?: (slot: string, message: string) => void;
}

function servedBy(
  slot: ModelSlot,
  execution: ExecutionStats | undefined,
  items: number,
  started: number,
) {
  return {
    model: slot.entry.id,
    version: slot.entry.version,
    inferenceTimeMs: execution?.inferenceTimeMs ?? performance.now() - started,
    queueTimeMs: execution?.queueTimeMs ?? 0,
    batchSize: execution?.batchSize ?? items,
  };
}

/**
 * The one entry point the API uses for inference: routes a call to a model version, loads it
 * lazily into worker threads, queues and batches it there, and reports how it was served.
 */
export class ModelManager {
  private readonly registry: ModelRegistry;
  private readonly maxImagePixels: number;
  private readonly maxLoadedModels: number;
  private probe: DeviceProbe | undefined;

  constructor(options: ModelManagerOptions) {
    this.maxImagePixels = options.maxImagePixels ?? 40_000_000;
    this.maxLoadedModels = options.maxLoadedModels ?? Number.POSITIVE_INFINITY;
    const planner = options.planDevices ?? planDevices;
    if (!options.planDevices && options.config.models.some((entry) => entry.device === 'auto')) {
      void probeDevices().then((probe) => (this.probe = probe));
    }
    const slots = options.config.models.map((entry) => {
      const key = `${entry.id}@${entry.version}`;
      const load: SlotLoader = async (slotEntry, context) => {
        if (slotEntry.provider === 'openai-compatible') {
          return loadUpstreamChat(slotEntry, options.secret ?? (() => undefined), context.onTokens);
        }
        const model = await loadInWorkers(slotEntry, {
          ...context,
          modelsDir: options.runtime.modelsDir,
          runtime: options.runtime,
          onTrouble: (message) => options.onTrouble?.(key, message),
        });
        void this.registry.enforceLoadedLimit(key, this.maxLoadedModels);
        return model;
      };
      return new ModelSlot(entry, load, {
        loadRetryDelayMs: options.loadRetryDelayMs ?? 5_000,
        planDevices: planner,
      });
    });
    this.registry = new ModelRegistry(options.config, slots);
  }

  /** Sentence embeddings, one vector per text, in input order. */
  async embed(request: EmbedRequest): Promise<EmbedOutput> {
    const slot = this.registry.route('feature-extraction', request);
    return this.runOn(slot, 'feature-extraction', request.signal, async (model) => {
      const started = performance.now();
      const batch = await model.embed(request.texts, { signal: request.signal });
      return {
        ...servedBy(slot, batch.execution, request.texts.length, started),
        embeddings: splitRows(batch.data, batch.dimension),
        dimension: batch.dimension,
        usage: { promptTokens: batch.tokens.reduce((sum, count) => sum + count, 0) },
      };
    });
  }

  /** Top-k labels for one encoded image (any format sharp decodes). */
  async classifyImage(request: ClassifyImageRequest): Promise<ImagePredictOutput> {
    const slot = this.registry.route('image-classification', request);
    const image = await decodeImage(request.image, { maxPixels: this.maxImagePixels });
    return this.runOn(slot, 'image-classification', request.signal, async (model) => {
      const started = performance.now();
      const result = await model.classify([image], { topK: request.topK, signal: request.signal });
      return {
        kind: 'image-classification',
        ...servedBy(slot, result.execution, 1, started),
        predictions: result.predictions[0] ?? [],
      };
    });
  }

  /** Named input tensors through a generic ONNX model, with labels where the config maps them. */
  async predictTensors(request: PredictTensorsRequest): Promise<TensorPredictOutput> {
    const slot = this.registry.route('tensor', request);
    const inputs = toTensorValues(request.inputs);
    return this.runOn(slot, 'tensor', request.signal, async (model) => {
      const started = performance.now();
      const rows = Object.values(inputs)[0]?.dims[0] ?? 1;
      const { outputs, execution } = await model.infer(inputs, { signal: request.signal });
      const labels = model.metadata.labels;
      const predictions = labels ? labelPredictions(labels, outputs, request.topK) : undefined;
      return {
        kind: 'tensor',
        ...servedBy(slot, execution, rows, started),
        outputs: toJsonTensors(outputs),
        ...(predictions ? { predictions } : {}),
      };
    });
  }

  /** One chat turn, streamed through `handlers` and returned whole with usage and timings. */
  async chat(request: ChatRequest, handlers: ChatHandlers = {}): Promise<ChatCompleteOutput> {
    const slot = this.registry.route('text-generation', request);
    handlers.onStart?.({ model: slot.entry.id, version: slot.entry.version });
    return this.runOn(slot, 'text-generation', request.signal, async (model) => {
      const started = performance.now();
      let firstTextAt: number | undefined;
      const generation = await model.generate(request.messages, {
        maxTokens: request.maxTokens,
        temperature: request.temperature,
        topP: request.topP,
        stop: request.stop,
        ...(request.continueFrom ? { continueFrom: request.continueFrom } : {}),
        ...(request.seed === undefined ? {} : { seed: request.seed }),
        signal: request.signal,
        onText: (text) => {
          firstTextAt ??= performance.now();
          handlers.onDelta?.(text);
        },
        ...(handlers.onTokens ? { onTokens: handlers.onTokens } : {}),
      });
      const finished = performance.now();
      const generatingMs = generation.execution?.inferenceTimeMs ?? finished - started;
      return {
        ...servedBy(slot, generation.execution, 1, started),
        generationId: request.generationId,
        text: generation.text,
        finishReason: generation.finishReason,
        usage: {
          promptTokens: generation.promptTokens,
          completionTokens: generation.completionTokens,
        },
        ttftMs: (firstTextAt ?? finished) - started,
        tokensPerSecond: generatingMs > 0 ? (generation.completionTokens * 1000) / generatingMs : 0,
      };
    });
  }

  /** Every configured model version with its state, device, queue and counters. */
  list(): ModelInfo[] {
    return this.registry.slots.map((slot) => this.registry.infoOf(slot));
  }

  /** The versions of one model. */
  get(id: string): ModelInfo[] {
    return this.registry.versionsOf(id).map((slot) => this.registry.infoOf(slot));
  }

  /** Loads a model version now (with warm-up) instead of on its first call. */
  async load(id: string, version?: string): Promise<ModelInfo> {
    const slot = this.registry.find(id, version);
    await slot.acquire();
    return this.registry.infoOf(slot);
  }

  /** Unloads a model version; calls already queued on it finish first. */
  async unload(id: string, version?: string): Promise<ModelInfo> {
    const slot = this.registry.find(id, version);
    await slot.unload();
    return this.registry.infoOf(slot);
  }

  /** Loads the task defaults so the first requests do not pay for loading; failures are recorded. */
  async warmUpDefaults(): Promise<void> {
    await Promise.allSettled(this.registry.defaultSlots().map((slot) => slot.acquire()));
  }

  /** Ready when every task default is loaded: what an orchestrator's readiness probe asks. */
  isReady(): boolean {
    return this.registry.isReady();
  }

  health(): ModelsHealth {
    return this.registry.health(this.probe);
  }

  /**
   * Unloads every model and waits until calls still inside a worker have finished and the
   * workers are gone (each call is bounded by its deadline): ending a worker thread inside
   * onnxruntime aborts the whole process.
   */
  async close(): Promise<void> {
    const { slots } = this.registry;
    await Promise.all(slots.map((slot) => slot.unload()));
    await Promise.all(slots.map((slot) => slot.whenIdle()));
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
}
