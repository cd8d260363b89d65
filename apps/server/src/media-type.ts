import type { IncomingMessage } from 'node:http';

/** A request body's media type, lower-cased and without parameters (`multipart/form-data`). */
export function mediaTypeOf(request: IncomingMessage): string {
  return (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}
