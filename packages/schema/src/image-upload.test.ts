import { describe, expect, it } from 'vitest';
import { imageUploadInputSchema } from './image-upload.js';
import { limits } from './limits.js';

const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);

describe('imageUploadInputSchema', () => {
  it('takes bytes, a Blob or a File with the usual model selection, topK defaulting', () => {
    expect(imageUploadInputSchema.parse({ image: png, model: 'digits' })).toEqual({
      image: png,
      model: 'digits',
      topK: limits.topKDefault,
    });
    const file = new File([png], 'digit.png', { type: 'image/png' });
    expect(imageUploadInputSchema.parse({ image: file, topK: 2 }).image).toBe(file);
  });

  it('reads form fields: FormData entries, topK given as digits', () => {
    const form = new FormData();
    form.append('image', new Blob([png]), 'digit.png');
    form.append('topK', '3');
    form.append('version', '1');
    const parsed = imageUploadInputSchema.parse(form);
    expect(parsed).toMatchObject({ topK: 3, version: '1' });
    expect(parsed.image).toBeInstanceOf(Blob);
    expect(imageUploadInputSchema.parse({ image: png, topK: '7' }).topK).toBe(7);
  });

  it.each([
    ['a text for the image', { image: 'digit.png' }, /image must be a file/],
    ['no image', { model: 'digits' }, /image must be a file/],
    ['an empty file', { image: new Uint8Array(0) }, /must not be empty/],
    [
      'a file over the limit',
      { image: new Uint8Array(limits.imageMaxBytes + 1) },
      /at most 10485760 bytes/,
    ],
    ['topK in words', { image: png, topK: 'three' }, /expected number/],
    ['topK over the maximum', { image: png, topK: '1000' }, /100/],
    ['an unknown field', { image: png, colour: 'red' }, /Unrecognized key/],
  ])('refuses %s', (_name, input, message) => {
    const result = imageUploadInputSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.message).toMatch(message);
  });
});
