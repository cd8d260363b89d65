import type { ChatMessage, FinishReason, ModelTask, Prediction, TensorDtype } from '@mlrpc/schema';
import type { DecodedImage } from '../image/decoded-image.js';
import type { ModelEntry } from '../model-config.js';

/** The devices a backend can actually run on (`auto` is resolved before a backend sees it). */
export type ExecutionDevice = 'cpu' | 'cuda' | 'webgpu';

export interface CallOptions {
  signal?: AbortSignal | undefined;
}

/** How a call was served, when a batching front ran it. */
export interface ExecutionStats {
  batchSize: number;
  queueTimeMs: number;
  inferenceTimeMs: number;
}

/** Row-major vectors in one buffer, so a batch crosses threads as a single transferable copy. */
export interface EmbeddingBatch {
  data: Float32Array;
  dimension: number;
  /** Tokens of each text, after truncation. */
  tokens: number[];
  execution?: ExecutionStats;
}

export interface EmbeddingModel {
  readonly task: 'feature-extraction';
  embed(texts: string[], options: CallOptions): Promise<EmbeddingBatch>;
  dispose(): Promise<void>;
}

export interface Classifications {
  predictions: Prediction[][];
  execution?: ExecutionStats;
}

export interface ImageClassificationModel {
  readonly task: 'image-classification';
  classify(
    images: DecodedImage[],
    options: CallOptions & { topK: number },
  ): Promise<Classifications>;
  dispose(): Promise<void>;
}

export type TypedTensorData =
  Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array | Int8Array;

/** A tensor as backends hold it: typed data that can be transferred between threads. */
export interface TensorValue {
  dtype: TensorDtype;
  dims: number[];
  data: TypedTensorData;
}

export type TensorValues = Record<string, TensorValue>;

/** One input or output as the ONNX file declares it; a string dim is symbolic (e.g. "batch"). */
export interface TensorSpec {
  name: string;
  dtype: TensorDtype;
  shape: Array<number | string>;
}

export interface TensorModelMetadata {
  inputs: TensorSpec[];
  outputs: TensorSpec[];
  labels?: { output: string; names: string[] };
}

export interface TensorOutputs {
  outputs: TensorValues;
  execution?: ExecutionStats;
}

export interface TensorModel {
  readonly task: 'tensor';
  readonly metadata: TensorModelMetadata;
  infer(inputs: TensorValues, options: CallOptions): Promise<TensorOutputs>;
  dispose(): Promise<void>;
}

export interface GenerateOptions extends CallOptions {
  maxTokens: number;
  temperature: number;
  topP: number;
  stop: string[];
  /** Seeds sampling, so the same seed and input give the same text. */
  seed?: number;
  /** Assistant text already generated: generation continues after it (resuming a stream). */
  continueFrom?: string;
  /** Called with each piece of text as soon as it is final (never part of a stop sequence). */
  onText: (text: string) => void;
  /** Called as tokens are generated, so progress is visible even before text is. */
  onTokens?: (tokens: number) => void;
}

export interface Generation {
  text: string;
  finishReason: FinishReason;
  promptTokens: number;
  completionTokens: number;
  execution?: ExecutionStats;
}

export interface TextGenerationModel {
  readonly task: 'text-generation';
  /** Generates one chat turn; aborting the signal stops generation after the current token. */
  generate(messages: ChatMessage[], options: GenerateOptions): Promise<Generation>;
  dispose(): Promise<void>;
}

/** What the manager holds once a model is loaded; it never knows which library runs it. */
export type LoadedModel =
  EmbeddingModel | ImageClassificationModel | TensorModel | TextGenerationModel;
export type ModelForTask<Task extends ModelTask> = Extract<LoadedModel, { task: Task }>;

export interface LoadContext {
  device: ExecutionDevice;
  /** Root folder of local models, for backends that read files directly. */
  modelsDir: string;
}

export type ModelLoader<Task extends ModelTask> = (
  entry: ModelEntry & { task: Task },
  context: LoadContext,
) => Promise<ModelForTask<Task>>;
