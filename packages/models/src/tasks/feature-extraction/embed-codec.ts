import type { BatchCodec } from '../../serving/batch-codec.js';
import type { EmbeddingBatch } from './embedding-model.js';

export interface EmbedRequest {
  texts: string[];
  /** Keep only the first N dimensions, re-normalized (Matryoshka models). */
  dimensions?: number | undefined;
}

/** Texts from many callers become one list; the vectors are cut back per caller. */
export const embedCodec: BatchCodec<EmbedRequest, EmbedRequest, EmbeddingBatch, EmbeddingBatch> = {
  size: (request) => request.texts.length,
  compatible: () => true,
  merge: (requests) => ({
    payload: { texts: requests.flatMap((request) => request.texts) },
    transfer: [],
  }),
  split(result, requests) {
    const { data, dimension, tokens } = result;
    let row = 0;
    return requests.map(({ texts }) => {
      const slice = data.slice(row * dimension, (row + texts.length) * dimension);
      const own = tokens.slice(row, row + texts.length);
      row += texts.length;
      return { data: slice, dimension, tokens: own };
    });
  },
};
