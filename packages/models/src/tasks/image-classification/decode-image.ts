import sharp from 'sharp';
import { ModelError } from '../../model-error.js';
import type { DecodedImage } from './decoded-image.js';

export interface DecodeImageOptions {
  /** Refuse images with more pixels than this before decoding them (decompression bombs). */
  maxPixels: number;
}

/** Decodes any format sharp reads (PNG, JPEG, WebP, GIF, TIFF, AVIF) to RGB, first frame only. */
export async function decodeImage(
  bytes: Uint8Array,
  options: DecodeImageOptions,
): Promise<DecodedImage> {
  try {
    const { data, info } = await sharp(bytes, {
      limitInputPixels: options.maxPixels,
      failOn: 'error',
    })
      .flatten({ background: '#000000' })
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) {
      throw new ModelError('INVALID_IMAGE', `decoded image has ${info.channels} channels, not 3`);
    }
    return {
      // A copy that owns its memory, so it can be transferred to a worker thread.
      data: new Uint8Array(data),
      width: info.width,
      height: info.height,
      channels: 3,
    };
  } catch (error) {
    if (error instanceof ModelError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    if (/pixel limit/i.test(message)) {
      throw new ModelError('IMAGE_TOO_LARGE', `image has more than ${options.maxPixels} pixels`, {
        cause: error,
      });
    }
    throw new ModelError('INVALID_IMAGE', `bytes are not a readable image: ${message}`, {
      cause: error,
    });
  }
}
