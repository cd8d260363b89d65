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
export { ModelManager, type ModelManagerOptions } from './model-manager.js';
export type { ModelsHealth } from './model-registry.js';
export type {
  ChatHandlers,
  ChatRequest,
  ClassifyImageRequest,
  EmbedRequest,
  ModelSelection,
  PredictTensorsRequest,
} from './model-requests.js';
