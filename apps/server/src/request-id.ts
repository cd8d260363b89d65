import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

const acceptedRequestId = /^[\w.:-]{1,128}$/;

/** Keeps a well-formed incoming X-Request-ID (so traces join up), else makes one; echoes it back. */
export function assignRequestId(request: IncomingMessage, response: ServerResponse): string {
  const incoming = request.headers['x-request-id'];
  const requestId =
    typeof incoming === 'string' && acceptedRequestId.test(incoming) ? incoming : randomUUID();
  response.setHeader('X-Request-ID', requestId);
  return requestId;
}
