import type { IncomingMessage } from 'node:http';
import { TRPCError } from '@trpc/server';

/** The request body as text, refused past `limit` bytes without reading the rest into memory. */
export function readBody(request: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(
        new TRPCError({
          code: 'PAYLOAD_TOO_LARGE',
          message: `request body exceeds ${limit} bytes`,
        }),
      );
      return;
    }
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(
          new TRPCError({
            code: 'PAYLOAD_TOO_LARGE',
            message: `request body exceeds ${limit} bytes`,
          }),
        );
        request.pause();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** Parses JSON from a body or query parameter; bad JSON is the caller's mistake, as tRPC says. */
export function parseJson(text: string | undefined): unknown {
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: cause instanceof Error ? cause.message : 'Invalid input',
      cause,
    });
  }
}
