import { describe, expect, it } from 'vitest';
import { imageSourceSchema } from './image-source.js';

describe('imageSourceSchema', () => {
  it('strips a data URL prefix and whitespace from base64', () => {
    expect(imageSourceSchema.parse({ base64: 'data:image/png;base64,aGVs\nbG8=' })).toEqual({
      base64: 'aGVsbG8=',
    });
  });

  it.each([
    ['malformed base64', { base64: 'not base64!' }],
    ['base64 with a bad length', { base64: 'abcde' }],
    ['empty base64', { base64: '' }],
    ['a file URL', { url: 'file:///etc/passwd' }],
    ['an ftp URL', { url: 'ftp://example.com/a.png' }],
    ['not a URL', { url: 'hello' }],
    ['both url and base64', { url: 'http://127.0.0.1/a.png', base64: 'aGVsbG8=' }],
  ])('refuses %s', (_name, input) => {
    expect(imageSourceSchema.safeParse(input).success).toBe(false);
  });

  it('accepts http and https URLs', () => {
    expect(imageSourceSchema.safeParse({ url: 'https://example.com/cat.png' }).success).toBe(true);
    expect(imageSourceSchema.safeParse({ url: 'http://127.0.0.1:8080/a.png' }).success).toBe(true);
  });
});
