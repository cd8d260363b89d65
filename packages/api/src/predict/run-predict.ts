import type { ModelManager } from '@mlrpc/models';
import type { predictInputSchema, PredictOutput } from '@mlrpc/schema';
import type { z } from 'zod';
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
  if ('inputs' in input) return models.predictTensors({ ...input, signal });
  const { image: source, ...selection } = input;
  const image = await readImageSource(source, imageFetch, signal);
  return models.classifyImage({ ...selection, image, signal });
}
