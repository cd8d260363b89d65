export type {
  CallOptions,
  EmbeddingBatch,
  EmbeddingModel,
  ExecutionDevice,
  ImageClassificationModel,
  LoadContext,
  LoadedModel,
  ModelLoader,
} from './backend/model-backend.js';
export {
  configureTransformersRuntime,
  type TransformersRuntimeOptions,
} from './backend/transformers-runtime.js';
export type { DecodedImage } from './image/decoded-image.js';
export { decodeImage } from './image/decode-image.js';
export {
  loadModelConfig,
  modelConfigSchema,
  type ModelConfig,
  type ModelEntry,
} from './model-config.js';
export { ModelError } from './model-error.js';
export {
  ModelManager,
  type ClassifyImageRequest,
  type EmbedRequest,
  type ModelManagerOptions,
  type ModelSelection,
  type ModelsHealth,
} from './model-manager.js';
