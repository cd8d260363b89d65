import type { EmbedOutput } from '@mlrpc/schema';
import { ModelError } from '../../model-error.js';
import type { TaskDefinition } from '../task-definition.js';
import { embedCodec, type EmbedRequest } from './embed-codec.js';
import type { EmbeddingBatch, EmbeddingModel } from './embedding-model.js';

/**
 * Splits a row-major matrix into plain arrays, the shape JSON callers expect, keeping the first
 * `keep` values of each row re-normalized to unit length (Matryoshka truncation).
 */
function splitRows(data: Float32Array, width: number, keep: number): number[][] {
  const rows: number[][] = [];
  for (let offset = 0; offset < data.length; offset += width) {
    const row = Array.from(data.subarray(offset, offset + keep));
    if (keep < width) {
      const norm = Math.hypot(...row) || 1;
      for (let index = 0; index < row.length; index += 1)
        row[index] = (row[index] as number) / norm;
    }
    rows.push(row);
  }
  return rows;
}

/** Sentence embeddings: one unit vector per text, in order. */
export const featureExtractionTask: TaskDefinition<
  EmbedRequest,
  EmbedRequest,
  EmbedRequest,
  EmbeddingBatch,
  EmbeddingBatch,
  EmbedOutput
> = {
  task: 'feature-extraction',
  runtime: {
    async load(entry, context): Promise<EmbeddingModel> {
      const { loadTransformersEmbedding } = await import('./transformers-embedding.js');
      return loadTransformersEmbedding(entry, context);
    },
    warmUp: (model: EmbeddingModel) => model.embed(['warm up']).then(() => undefined),
    run: (model: EmbeddingModel, payload) => model.embed(payload.texts),
    transfer: (result) => [result.data.buffer as ArrayBuffer],
    dispose: (model: EmbeddingModel) => model.dispose(),
  },
  admit: (input) => ({ texts: input.texts, dimensions: input.dimensions }),
  codec: () => embedCodec,
  output(batch, served, request) {
    const dimension = request.dimensions ?? batch.dimension;
    if (dimension > batch.dimension) {
      throw new ModelError(
        'INVALID_INPUT',
        `dimensions: ${dimension} is more than this model's ${batch.dimension}`,
      );
    }
    return {
      ...served,
      embeddings: splitRows(batch.data, batch.dimension, dimension),
      dimension,
      usage: { promptTokens: batch.tokens.reduce((sum, count) => sum + count, 0) },
    };
  },
  parts: {
    count: (input) => input.texts.length,
    slice: (input, start, end) => ({ ...input, texts: input.texts.slice(start, end) }),
    join: (outputs) =>
      outputs.reduce((merged, output) => ({
        ...merged,
        embeddings: merged.embeddings.concat(output.embeddings),
        inferenceTimeMs: merged.inferenceTimeMs + output.inferenceTimeMs,
        queueTimeMs: merged.queueTimeMs + output.queueTimeMs,
        usage: { promptTokens: merged.usage.promptTokens + output.usage.promptTokens },
      })),
  },
};
