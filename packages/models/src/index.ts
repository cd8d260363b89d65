export type {
  CallOptions,
  EmbeddingBatch,
  EmbeddingModel,
  ExecutionDevice,
  ExecutionStats,
  ImageClassificationModel,
  LoadContext,
  LoadedModel,
  ModelLoader,
  TensorModel,
  TensorModelMetadata,
  TensorValue,
  TensorValues,
  TextGenerationModel,
} from './backend/model-backend.js';
export { modelLoaders } from './backend/model-loaders.js';
export {
  configureTransformersRuntime,
  type TransformersRuntimeOptions,
} from './backend/transformers-runtime.js';
export { planDevices, type DevicePlan } from './device.js';
export { probeDevices, type DeviceProbe } from './device/probe-devices.js';
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
  type ChatHandlers,
  type ChatRequest,
  type ClassifyImageRequest,
  type EmbedRequest,
  type ModelManagerOptions,
  type ModelSelection,
  type ModelsHealth,
  type PredictTensorsRequest,
} from './model-manager.js';
