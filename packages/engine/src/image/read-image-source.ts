import type { ImageSource } from '@mlrpc/schema';
import { fetchImage, type ImageFetchOptions } from './fetch-image.js';

/** The encoded bytes of an image given inline (base64) or by URL. */
export async function readImageSource(
  source: ImageSource,
  options: ImageFetchOptions,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  if ('base64' in source) return Buffer.from(source.base64, 'base64');
  return fetchImage(source.url, options, signal);
}
