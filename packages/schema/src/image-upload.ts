import { z } from 'zod';
import { limits } from './limits.js';
import { modelSelectionShape } from './model-reference.js';
import { topKSchema } from './predict.js';

/** An image's encoded bytes as a browser or Node holds them: a `File`/`Blob` or a `Uint8Array`. */
export type ImageBytes = Blob | Uint8Array;

function byteLengthOf(value: ImageBytes): number {
  return value instanceof Blob ? value.size : value.byteLength;
}

/** Why bytes are not an acceptable image upload, or undefined when they are. */
function uploadProblem(value: unknown): string | undefined {
  if (!(value instanceof Blob || value instanceof Uint8Array)) {
    return 'image must be a file (a File, Blob or Uint8Array sent as form data)';
  }
  const length = byteLengthOf(value);
  if (length === 0) return 'image must not be empty';
  if (length > limits.imageMaxBytes) return `the image holds at most ${limits.imageMaxBytes} bytes`;
  return undefined;
}

/** Image bytes sent as a file in a form upload (multipart/form-data), not as base64 text. */
export const imageBytesSchema = z
  // One check, not refinements: OpenAPI generation only describes a custom type left unrefined.
  .custom<ImageBytes>((value) => uploadProblem(value) === undefined, {
    error: (issue) => uploadProblem(issue.input) ?? 'image is not acceptable',
  })
  .meta({ type: 'string', format: 'binary', description: 'The image file (PNG, JPEG, WebP...)' });

/** The fields of an image upload, after a form's text fields took their types. */
const imageUploadFieldsSchema = z
  .object({
    ...modelSelectionShape,
    image: imageBytesSchema,
    topK: topKSchema,
  })
  .strict();

/** What the typed client takes: the image's bytes and the usual model selection. */
export type ImageUploadInput = z.input<typeof imageUploadFieldsSchema>;

/** Form fields are text: `topK` arrives as digits and becomes a number; FormData becomes fields. */
function fromForm(value: ImageUploadInput | FormData): unknown {
  const fields: Record<string, unknown> =
    value instanceof FormData ? Object.fromEntries(value.entries()) : { ...value };
  if (typeof fields.topK === 'string' && /^\d{1,9}$/.test(fields.topK)) {
    fields.topK = Number(fields.topK);
  }
  return fields;
}

/**
 * Image classification of an uploaded file: raw bytes in a multipart form (the typed client's
 * `File`, `Blob` or `Uint8Array`, or `curl -F image=@cat.png`), a third smaller than base64 and
 * never parsed as one long string.
 */
export const imageUploadInputSchema = z.preprocess(fromForm, imageUploadFieldsSchema);
/** An upload as the server sees it after validation. */
export type ImageUploadRequest = z.output<typeof imageUploadInputSchema>;
