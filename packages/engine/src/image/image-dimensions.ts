import { limits } from '@mlrpc/schema';
import { ModelError } from '@mlrpc/models';
import { imageSize } from 'image-size';

/**
 * Refuses an image by the size its header declares, before anything decodes it (decompression
 * bombs, decoder-hostile strips) and before it takes a place in a model's queue. Bytes whose
 * header cannot be read go on to the decoder, which names what is wrong with them.
 */
export function checkImageDimensions(bytes: Uint8Array, maxPixels: number): void {
  let width: number;
  let height: number;
  try {
    ({ width, height } = imageSize(bytes));
  } catch {
    return;
  }
  if (width > limits.imageMaxSide || height > limits.imageMaxSide) {
    throw new ModelError(
      'IMAGE_TOO_LARGE',
      `image is ${width} x ${height} pixels; each side may be at most ${limits.imageMaxSide}`,
    );
  }
  if (width * height > maxPixels) {
    throw new ModelError(
      'IMAGE_TOO_LARGE',
      `image is ${width} x ${height} pixels, more than ${maxPixels} in all`,
    );
  }
}
