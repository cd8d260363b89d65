import { z } from 'zod';
import { limits } from './limits.js';

const base64Pattern = /^[A-Za-z0-9+/]*={0,2}$/;
const dataUrlPrefix = /^data:image\/[\w.+-]+;base64,/;
const maxBase64Length = Math.ceil(limits.imageMaxBytes / 3) * 4;

/** Base64 image bytes; a `data:image/...;base64,` prefix is accepted and stripped. */
export const base64ImageSchema = z
  .string()
  .transform((value) => value.replace(dataUrlPrefix, '').replace(/\s+/g, ''))
  .pipe(
    z
      .string()
      .min(1, 'base64 must not be empty')
      .max(maxBase64Length, `the image holds at most ${limits.imageMaxBytes} bytes`)
      .refine(
        (value) => value.length % 4 === 0 && base64Pattern.test(value),
        'base64 is malformed',
      ),
  );

export const imageUrlSchema = z
  .url({ protocol: /^https?$/, error: 'url must be an http or https URL' })
  .max(limits.imageUrlMaxLength);

export const imageSourceSchema = z.union([
  z.object({ url: imageUrlSchema }).strict(),
  z.object({ base64: base64ImageSchema }).strict(),
]);
export type ImageSource = z.infer<typeof imageSourceSchema>;
