import type { ModelManager } from '@mlrpc/models';
import type { predictInputSchema, PredictOutput } from '@mlrpc/schema';
import type { z } from 'zod';
import { ApiError } from '../api-error.js';
import type { ImageFetchOptions } from '../image/fetch-image.js';
import { readImageSource } from '../image/read-image-source.js';

/**
 * One predict call, for the live procedure and for jobs alike: named tensors go to the generic
 * ONNX path; an image is read (inline or fetched) and classified.
 */
export async function runPredict(
  models: ModelManager,
  imageFetch: ImageFetchOptions,
  input: z.output<typeof predictInputSchema>,
  signal: AbortSignal | undefined,
): Promise<PredictOutput> {
  const { image: source, inputs, ...selection } = input;
  if (inputs) return models.predictTensors({ ...selection, inputs, signal });
  if (!source) throw new ApiError('INVALID_INPUT', 'give either image or inputs');
  const image = await readImageSource(source, imageFetch, signal);
  return models.classifyImage({ ...selection, image, signal });
}
