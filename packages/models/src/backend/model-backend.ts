import type { ModelTask, Prediction } from '@mlrpc/schema';
import type { DecodedImage } from '../image/decoded-image.js';
import type { ModelEntry } from '../model-config.js';

/** The devices a backend can actually run on (`auto` is resolved before a backend sees it). */
export type ExecutionDevice = 'cpu' | 'cuda' | 'webgpu';

export interface CallOptions {
  signal?: AbortSignal;
}

/** Row-major vectors in one buffer, so a batch crosses threads as a single transferable copy. */
export interface EmbeddingBatch {
  data: Float32Array;
  dimension: number;
}

export interface EmbeddingModel {
  readonly task: 'feature-extraction';
  embed(texts: string[], options: CallOptions): Promise<EmbeddingBatch>;
  dispose(): Promise<void>;
}

export interface ImageClassificationModel {
  readonly task: 'image-classification';
  classify(
    images: DecodedImage[],
    options: CallOptions & { topK: number },
  ): Promise<Prediction[][]>;
  dispose(): Promise<void>;
}

/** What the manager holds once a model is loaded; it never knows which library runs it. */
export type LoadedModel = EmbeddingModel | ImageClassificationModel;
export type ModelForTask<Task extends ModelTask> = Extract<LoadedModel, { task: Task }>;

export interface LoadContext {
  device: ExecutionDevice;
}

export type ModelLoader<Task extends ModelTask> = (
  entry: ModelEntry & { task: Task },
  context: LoadContext,
) => Promise<ModelForTask<Task>>;
