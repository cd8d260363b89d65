import type { FeatureExtractionPipeline } from '@huggingface/transformers';
import type { ModelEntry } from '../../model-config.js';
import { ModelError } from '../../model-error.js';
import type { LoadContext } from '../../runtime/load-context.js';
import { encodeTexts, lengthSortedGroups, padTexts } from '../../runtime/text-batches.js';
import { loadPipeline } from '../../runtime/transformers-pipeline.js';
import type { EmbeddingModel } from './embedding-model.js';

interface TokenStates {
  dims: number[];
  data: Float32Array;
}

/**
 * One vector per row from the model's token states: the mean of the real tokens (the attention
 * mask), or the first token (`cls`); then scaled to unit length when the entry says so. The same
 * arithmetic as transformers.js' feature-extraction pipeline.
 */
function pool(
  states: TokenStates,
  mask: BigInt64Array,
  entry: ModelEntry,
  into: Float32Array,
  rows: number[],
): void {
  const [count = 0, width = 0, size = 0] = states.dims;
  for (let row = 0; row < count; row += 1) {
    const vector = into.subarray((rows[row] ?? 0) * size, ((rows[row] ?? 0) + 1) * size);
    if (entry.pooling === 'cls') {
      vector.set(states.data.subarray(row * width * size, row * width * size + size));
    } else {
      let tokens = 0;
      for (let position = 0; position < width; position += 1) {
        if (mask[row * width + position] === 0n) continue;
        tokens += 1;
        const offset = (row * width + position) * size;
        for (let index = 0; index < size; index += 1)
          vector[index]! += states.data[offset + index]!;
      }
      for (let index = 0; index < size; index += 1) vector[index]! /= Math.max(1, tokens);
    }
    if (entry.normalize) {
      let norm = 0;
      for (let index = 0; index < size; index += 1) norm += vector[index]! * vector[index]!;
      norm = Math.sqrt(norm) || 1;
      for (let index = 0; index < size; index += 1) vector[index]! /= norm;
    }
  }
}

/**
 * Sentence embeddings from a transformers.js feature-extraction model, run directly: texts are
 * tokenized once (their token counts come from the same pass), sorted by length and run in groups
 * under the entry's token budget (TEI's batching), and pooled straight into one output buffer.
 */
export async function loadTransformersEmbedding(
  entry: ModelEntry,
  context: LoadContext,
): Promise<EmbeddingModel> {
  if (entry.pooling === 'none') {
    throw new ModelError('MODEL_LOAD_FAILED', 'pooling none gives token vectors; use mean or cls');
  }
  const extractor = (await loadPipeline(
    'feature-extraction',
    entry,
    context,
  )) as FeatureExtractionPipeline;
  const { tokenizer, model } = extractor;
  return {
    async embed(texts) {
      const encoded = encodeTexts(tokenizer, texts);
      const tokens = encoded.map((row) => row.inputIds.length);
      const groups = lengthSortedGroups(tokens, {
        maxTokens: entry.maxBatchTokens,
        maxRows: entry.maxBatchSize,
      });
      let data: Float32Array | undefined;
      let dimension = 0;
      for (const group of groups) {
        const inputs = padTexts(
          tokenizer,
          group.map((index) => encoded[index]!),
        );
        const outputs = (await model(inputs)) as Record<string, TokenStates | undefined>;
        const states = outputs.last_hidden_state ?? outputs.token_embeddings ?? outputs.logits;
        if (!states || states.dims.length !== 3) {
          throw new ModelError('INFERENCE_FAILED', 'the model returned no token states to pool');
        }
        dimension = states.dims[2] ?? 0;
        data ??= new Float32Array(texts.length * dimension);
        pool(states, inputs.attention_mask?.data as BigInt64Array, entry, data, group);
      }
      return { data: data ?? new Float32Array(0), dimension, tokens };
    },
    async dispose() {
      await extractor.dispose();
    },
  };
}
