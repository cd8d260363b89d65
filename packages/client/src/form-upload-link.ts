import type { AppRouter } from '@mlrpc/api';
import { isOctetType, type TRPCLink } from '@trpc/client';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * A mutation's input as a multipart form: text fields first (the server can refuse a bad one
 * before the file arrives), then each file; a `Uint8Array` travels as a file like a `Blob`.
 */
export function toFormData(input: Record<string, unknown>): FormData {
  const form = new FormData();
  const files: Array<[string, Blob | Uint8Array<ArrayBuffer>]> = [];
  for (const [name, value] of Object.entries(input)) {
    if (value === undefined) continue;
    if (isOctetType(value)) files.push([name, value]);
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      form.append(name, String(value));
    } else {
      throw new TypeError(`"${name}" cannot travel in a form upload beside a file: send text`);
    }
  }
  for (const [name, value] of files) {
    const blob = value instanceof Blob ? value : new Blob([value]);
    const fileName = 'name' in blob && typeof blob.name === 'string' ? blob.name : name;
    form.append(name, blob, fileName);
  }
  return form;
}

/**
 * Sends a mutation whose input holds a `File`, `Blob` or `Uint8Array` as a multipart upload of
 * raw bytes (tRPC's FormData content type) instead of JSON, which cannot carry them; the rest
 * of the links then send it unbatched.
 */
export const formUploadLink: TRPCLink<AppRouter> =
  () =>
  ({ next, op }) => {
    if (op.type !== 'mutation' || !isPlainObject(op.input)) return next(op);
    if (!Object.values(op.input).some(isOctetType)) return next(op);
    return next({ ...op, input: toFormData(op.input) });
  };
