import type { FeatureExtractionPipeline } from '@huggingface/transformers';
import type { ModelEntry } from '../../model-config.js';
import { ModelError } from '../../model-error.js';
import type { LoadContext } from '../../runtime/load-context.js';
import { loadPipeline } from '../../runtime/transformers-pipeline.js';
import type { EmbeddingBatch, EmbeddingModel } from './embedding-model.js';

/** Sentence embeddings through a transformers.js feature-extraction pipeline. */
export async function loadTransformersEmbedding(
  entry: ModelEntry,
  context: LoadContext,
): Promise<EmbeddingModel> {
  const extractor = (await loadPipeline(
    'feature-extraction',
    entry,
    context,
  )) as FeatureExtractionPipeline;

  const embedBatch = async (texts: string[]): Promise<EmbeddingBatch> => {
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
    // The pipeline tokenizes the same way (padding, truncation); this counts each text's tokens.
    const { attention_mask: mask } = extractor.tokenizer(texts, {
      padding: true,
      truncation: true,
    }) as {
      attention_mask: { dims: number[]; data: BigInt64Array };
    };
    const width = mask.dims[1] ?? 0;
    const tokens = texts.map((_, row) =>
      mask.data
        .subarray(row * width, (row + 1) * width)
        .reduce((sum, value) => sum + Number(value), 0),
    );
    return { data: Float32Array.from(output.data as Float32Array), dimension, tokens };
  };

  return {
    async embed(texts) {
      // One execution holds at most maxBatchSize texts: a larger request (a job's 256-text part)
      // runs as full batches in turn, faster per text on CPU than one oversized batch.
      const size = Math.max(1, entry.maxBatchSize);
      const parts: EmbeddingBatch[] = [];
      for (let start = 0; start < texts.length; start += size) {
        parts.push(await embedBatch(texts.slice(start, start + size)));
      }
      if (parts.length === 1 && parts[0]) return parts[0];
      const data = new Float32Array(parts.reduce((sum, part) => sum + part.data.length, 0));
      let offset = 0;
      for (const part of parts) {
        data.set(part.data, offset);
        offset += part.data.length;
      }
      return {
        data,
        dimension: parts[0]?.dimension ?? 0,
        tokens: parts.flatMap((part) => part.tokens),
      };
    },
    async dispose() {
      await extractor.dispose();
    },
  };
}
