import type { ModelTask } from '@mlrpc/schema';
import type { ModelLoader } from './model-backend.js';
import { loadOnnxTensorModel } from './onnx-tensor-model.js';
import { loadTransformersEmbedding } from './transformers-embedding.js';
import { loadTransformersImageClassification } from './transformers-image-classification.js';
import { loadTransformersTextGeneration } from './transformers-text-generation.js';

/** Which backend loads which task: a table, not a chain of ifs (as transformers.js' SUPPORTED_TASKS). */
export const modelLoaders: { [Task in ModelTask]: ModelLoader<Task> } = {
  'feature-extraction': loadTransformersEmbedding,
  'image-classification': loadTransformersImageClassification,
  tensor: loadOnnxTensorModel,
  'text-generation': loadTransformersTextGeneration,
};
