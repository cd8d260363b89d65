import type { ImageSource } from '@mlrpc/schema';
import { checkImageDimensions } from './image-dimensions.js';
import { fetchImage, type ImageFetchOptions } from './fetch-image.js';

/** The encoded bytes of an image given inline (base64) or by URL, refused if its header declares too many pixels. */
export async function readImageSource(
  source: ImageSource,
  options: ImageFetchOptions,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  const bytes =
    'base64' in source
      ? Buffer.from(source.base64, 'base64')
      : await fetchImage(source.url, options, signal);
  checkImageDimensions(bytes, options.maxPixels);
  return bytes;
}
