import type { FeatureExtractionPipeline } from '@huggingface/transformers';
import { ModelError } from '../model-error.js';
import type { EmbeddingModel, ModelLoader } from './model-backend.js';
import { loadPipeline } from './transformers-pipeline.js';

/** Sentence embeddings through a transformers.js feature-extraction pipeline. */
export const loadTransformersEmbedding: ModelLoader<'feature-extraction'> = async (
  entry,
  context,
) => {
  const extractor = (await loadPipeline(
    'feature-extraction',
    entry,
    context,
  )) as FeatureExtractionPipeline;

  const model: EmbeddingModel = {
    task: 'feature-extraction',
    async embed(texts) {
      const output = await extractor(texts, {
        pooling: entry.pooling,
        normalize: entry.normalize,
      });
      const dimension = output.dims.at(-1);
      if (output.dims.length !== 2 || dimension === undefined) {
        throw new ModelError(
          'INFERENCE_FAILED',
          `model returned shape [${output.dims.join(', ')}]; set pooling to mean or cls`,
        );
      }
      return { data: Float32Array.from(output.data as Float32Array), dimension };
    },
    async dispose() {
      await extractor.dispose();
    },
  };
  return model;
};
