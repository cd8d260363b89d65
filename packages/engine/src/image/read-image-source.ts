import type { ImageBytes, ImageSource } from '@mlrpc/schema';
import { checkImageDimensions } from './image-dimensions.js';
import { fetchImage, type ImageFetchOptions } from './fetch-image.js';

async function bytesOf(
  source: ImageSource | ImageBytes,
  options: ImageFetchOptions,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  if (source instanceof Uint8Array) return source;
  if (source instanceof Blob) return new Uint8Array(await source.arrayBuffer());
  return 'base64' in source
    ? Buffer.from(source.base64, 'base64')
    : fetchImage(source.url, options, signal);
}

/**
 * The encoded bytes of an image uploaded as a file, given inline (base64) or by URL, refused if
 * its header declares too many pixels.
 */
export async function readImageSource(
  source: ImageSource | ImageBytes,
  options: ImageFetchOptions,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  const bytes = await bytesOf(source, options, signal);
  checkImageDimensions(bytes, options.maxPixels);
  return bytes;
}
