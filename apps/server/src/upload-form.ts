import type { IncomingMessage } from 'node:http';
import { ApiError, type ApiDependencies } from '@mlrpc/api';
import { limits } from '@mlrpc/schema';
import { TRPCError } from '@trpc/server';
import busboy from 'busboy';
import { mediaTypeOf } from './media-type.js';

/** Bytes a form may hold besides its file: the other fields, part headers and boundaries. */
const formOverheadBytes = 64 * 1024;
const maxFields = 16;
const maxFieldBytes = 4 * 1024;

/** Whether a request's body is a form upload (`multipart/form-data`). */
export function isFormUpload(request: IncomingMessage): boolean {
  return mediaTypeOf(request) === 'multipart/form-data';
}

/** How big an upload may be: the server's body limit, and the image limit (IMAGE_MAX_BYTES). */
export interface UploadLimits {
  bodyLimit: number;
  imageMaxBytes: number;
}

/** The upload limits of a server: its body limit, and the image limit its engine enforces. */
export function uploadLimitsOf(dependencies: ApiDependencies, bodyLimit: number): UploadLimits {
  return { bodyLimit, imageMaxBytes: dependencies.imageFetch.maxBytes };
}

function tooLarge(maxBytes: number, imageMaxBytes: number): TRPCError {
  return new TRPCError({
    code: 'PAYLOAD_TOO_LARGE',
    message: `a form upload holds at most ${maxBytes} bytes (its image at most ${imageMaxBytes})`,
  });
}

function badForm(message: string): TRPCError {
  return new TRPCError({ code: 'BAD_REQUEST', message });
}

/** Fields by name; a name given twice holds a list (which validation then refuses). */
function fieldsOf(entries: Array<[string, unknown]>): Record<string, unknown> {
  const grouped = new Map<string, unknown[]>();
  for (const [name, value] of entries) {
    const values = grouped.get(name);
    if (values) values.push(value);
    else grouped.set(name, [value]);
  }
  // fromEntries defines own properties: a field named __proto__ stays a field, refused as unknown.
  return Object.fromEntries(
    [...grouped].map(([name, values]) => [name, values.length === 1 ? values[0] : values]),
  );
}

/**
 * A multipart form's fields, its file as bytes, read as they stream in: a file past the image
 * limit, a body past the form limit, too many or too long fields are refused the moment they
 * are seen, and nothing after that is kept (the caller drops the rest: see refused-body.ts).
 */
export function readUploadForm(
  request: IncomingMessage,
  uploadLimits: UploadLimits,
): Promise<Record<string, unknown>> {
  // The schema's bound holds whatever IMAGE_MAX_BYTES says; a lower setting lowers it.
  const imageMaxBytes = Math.min(limits.imageMaxBytes, uploadLimits.imageMaxBytes);
  const maxBytes = Math.min(uploadLimits.bodyLimit, imageMaxBytes + formOverheadBytes);
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      reject(tooLarge(maxBytes, imageMaxBytes));
      return;
    }
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: request.headers,
        limits: {
          fileSize: imageMaxBytes,
          files: 1,
          fields: maxFields,
          fieldSize: maxFieldBytes,
          fieldNameSize: 100,
          parts: maxFields + 1,
          headerPairs: 16,
        },
      });
    } catch (cause) {
      reject(badForm(`the form cannot be read: ${(cause as Error).message}`));
      return;
    }
    const entries: Array<[string, unknown]> = [];
    let received = 0;
    let settled = false;
    const fail = (error: TRPCError) => {
      if (settled) return;
      settled = true;
      request.unpipe(parser);
      request.pause();
      reject(error);
    };
    request.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > maxBytes) fail(tooLarge(maxBytes, imageMaxBytes));
    });
    request.on('error', (error) => fail(badForm(`the upload broke off: ${error.message}`)));
    parser.on('field', (name, value, info) => {
      if (info.nameTruncated || info.valueTruncated) {
        fail(
          new TRPCError({
            code: 'PAYLOAD_TOO_LARGE',
            message: `a form field holds at most ${maxFieldBytes} bytes ("${name.slice(0, 100)}" is longer)`,
          }),
        );
        return;
      }
      entries.push([name, value]);
    });
    parser.on('file', (name, stream) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      // A form cut off mid-file errors this stream and the parser: the parser's error answers.
      stream.on('error', () => undefined);
      stream.on('limit', () =>
        fail(
          new ApiError(
            'IMAGE_TOO_LARGE',
            `the file in "${name}" exceeds ${imageMaxBytes} bytes, the most an image may hold`,
          ),
        ),
      );
      stream.on('end', () => {
        if (!stream.truncated) entries.push([name, new Uint8Array(Buffer.concat(chunks))]);
      });
    });
    parser.on('filesLimit', () => fail(badForm('a form upload holds one file')));
    parser.on('fieldsLimit', () =>
      fail(badForm(`a form upload holds at most ${maxFields} fields`)),
    );
    parser.on('partsLimit', () =>
      fail(badForm(`a form upload holds at most ${maxFields + 1} parts`)),
    );
    parser.on('error', (error: Error) => fail(badForm(`the form is malformed: ${error.message}`)));
    parser.on('close', () => {
      if (settled) return;
      settled = true;
      resolve(fieldsOf(entries));
    });
    request.pipe(parser);
  });
}
