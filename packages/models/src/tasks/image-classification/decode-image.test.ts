import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage } from './decode-image.js';

const digits = path.resolve(import.meta.dirname, '../../../../../../shared/data/digits/test');

describe('decodeImage', () => {
  it('decodes a PNG to RGB pixels', async () => {
    const image = await decodeImage(await readFile(path.join(digits, '3/45.png')), {
      maxPixels: 1e6,
    });
    expect(image).toMatchObject({ width: 64, height: 64, channels: 3 });
    expect(image.data).toHaveLength(64 * 64 * 3);
  });

  it('turns grayscale and transparent images into RGB', async () => {
    const gray = await sharp({
      create: { width: 5, height: 4, channels: 3, background: '#808080' },
    })
      .grayscale()
      .png()
      .toBuffer();
    const rgba = await sharp({
      create: { width: 3, height: 3, channels: 4, background: { r: 255, g: 0, b: 0, alpha: 0.5 } },
    })
      .png()
      .toBuffer();
    expect(await decodeImage(gray, { maxPixels: 1e6 })).toMatchObject({ channels: 3, width: 5 });
    const flat = await decodeImage(rgba, { maxPixels: 1e6 });
    expect(flat.data).toHaveLength(27);
  });

  it('refuses bytes that are not an image', async () => {
    await expect(decodeImage(Buffer.from('hello world'), { maxPixels: 1e6 })).rejects.toMatchObject(
      {
        code: 'INVALID_IMAGE',
      },
    );
  });

  it('refuses images above the pixel limit before decoding them', async () => {
    const big = await sharp({
      create: { width: 200, height: 200, channels: 3, background: '#000' },
    })
      .png()
      .toBuffer();
    await expect(decodeImage(big, { maxPixels: 10_000 })).rejects.toMatchObject({
      code: 'IMAGE_TOO_LARGE',
    });
  });
});
