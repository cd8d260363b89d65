import { describe, expect, it } from 'vitest';
import { toFormData } from './form-upload-link.js';

describe('toFormData', () => {
  it('puts text fields first and the file last, as a named Blob', async () => {
    const bytes = new Uint8Array([1, 2, 3]);
    const form = toFormData({ image: bytes, model: 'digits', topK: 3, routingKey: undefined });
    expect([...form.keys()]).toEqual(['model', 'topK', 'image']);
    expect(form.get('topK')).toBe('3');
    const image = form.get('image') as File;
    expect(image.name).toBe('image');
    expect(new Uint8Array(await image.arrayBuffer())).toEqual(bytes);
  });

  it('keeps a File its own name', () => {
    const file = new File([new Uint8Array([9])], 'seven.png', { type: 'image/png' });
    expect((toFormData({ image: file }).get('image') as File).name).toBe('seven.png');
  });

  it('refuses values a form cannot carry beside a file', () => {
    expect(() => toFormData({ image: new Uint8Array(1), options: { a: 1 } })).toThrow(
      /"options" cannot travel in a form upload/,
    );
  });
});
