import type { ErrorCode, Prediction } from '@mlrpc/schema';
import { ModelError } from '../../model-error.js';
import type { BatchCodec } from '../../serving/batch-codec.js';

export interface ClassifyRequest {
  /** The encoded image (PNG, JPEG...): it is decoded in the model's thread, after admission. */
  image: Uint8Array;
  topK: number;
}

export interface ClassifyPayload {
  images: Uint8Array[];
  topK: number;
}

/** Per image: its labels, or why it could not be read (that caller alone fails). */
export type ClassifyResult = Array<Prediction[] | { code: ErrorCode; message: string }>;

/** Images from many callers run as one batch at the largest top-k; each caller gets its own k. */
export const classifyCodec: BatchCodec<
  ClassifyRequest,
  ClassifyPayload,
  ClassifyResult,
  Prediction[]
> = {
  size: () => 1,
  compatible: () => true,
  merge(requests) {
    const images = requests.map((request) => request.image);
    return {
      payload: { images, topK: Math.max(...requests.map((request) => request.topK)) },
      transfer: images.map((image) => image.buffer as ArrayBuffer),
    };
  },
  split: (result, requests) =>
    requests.map((request, index) => {
      const outcome = result[index] ?? [];
      return Array.isArray(outcome)
        ? outcome.slice(0, request.topK)
        : new ModelError(outcome.code, outcome.message);
    }),
};
