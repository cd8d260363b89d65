import type { Prediction } from '@mlrpc/schema';
import type { DecodedImage } from '../image/decoded-image.js';
import type { BatchCodec } from './batch-codec.js';

export interface ClassifyRequest {
  images: DecodedImage[];
  topK: number;
}

/** Images from many callers run as one batch at the largest top-k; each caller gets its own k. */
export const classifyCodec: BatchCodec<ClassifyRequest, Prediction[][]> = {
  size: (request) => request.images.length,
  compatible: () => true,
  merge(requests) {
    const images = requests.flatMap((request) => request.images);
    return {
      call: {
        kind: 'classify',
        images,
        topK: Math.max(...requests.map((request) => request.topK)),
      },
      transfer: images.map((image) => image.data.buffer as ArrayBuffer),
    };
  },
  split(result, requests) {
    if (result.kind !== 'classify') throw new Error(`expected classify result, got ${result.kind}`);
    let index = 0;
    return requests.map((request) => {
      const own = result.predictions.slice(index, index + request.images.length);
      index += request.images.length;
      return own.map((predictions) => predictions.slice(0, request.topK));
    });
  },
};
