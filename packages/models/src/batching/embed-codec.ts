import type { EmbeddingBatch } from '../backend/model-backend.js';
import type { BatchCodec } from './batch-codec.js';

/** Texts from many callers become one list; the vectors are cut back per caller. */
export const embedCodec: BatchCodec<string[], EmbeddingBatch> = {
  size: (texts) => texts.length,
  compatible: () => true,
  merge: (requests) => ({ call: { kind: 'embed', texts: requests.flat() }, transfer: [] }),
  split(result, requests) {
    if (result.kind !== 'embed') throw new Error(`expected embed result, got ${result.kind}`);
    const { data, dimension, tokens } = result;
    let row = 0;
    return requests.map((texts) => {
      const slice = data.slice(row * dimension, (row + texts.length) * dimension);
      const own = tokens.slice(row, row + texts.length);
      row += texts.length;
      return { data: slice, dimension, tokens: own };
    });
  },
};
