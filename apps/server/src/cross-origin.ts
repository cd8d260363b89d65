import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from 'cors';

/** Where browsers from other origins may call: the API routes, not the playground or metrics. */
const apiPaths = /^\/(trpc|api|v1)(\/|\?|$)/;

/** Headers a browser page may send: tRPC's, ours, and SSE's resume id. */
const allowedHeaders = [
  'content-type',
  'authorization',
  'x-api-key',
  'x-request-id',
  'last-event-id',
  'trpc-accept',
  'trpc-batch-mode',
];
/** Headers a page may read: the request id for bug reports, the retry and rate-limit hints. */
const exposedHeaders = [
  'x-request-id',
  'retry-after',
  'ratelimit-limit',
  'ratelimit-remaining',
  'ratelimit-reset',
];

/**
 * CORS for the listed origins on /trpc, /api and /v1 (queries, mutations and SSE streams alike):
 * preflights answered, request ids and Retry-After readable. Another origin gets no
 * Access-Control-Allow-Origin, so its browser keeps the answer from it. Calls `next` unless it
 * answered a preflight itself.
 */
export function crossOrigin(
  origins: readonly string[],
): (request: IncomingMessage, response: ServerResponse, next: () => void) => void {
  const listed = new Set(origins);
  const handle = cors({
    origin: (origin, callback) => callback(null, origin !== undefined && listed.has(origin)),
    methods: ['GET', 'POST'],
    allowedHeaders,
    exposedHeaders,
    maxAge: 600,
  });
  return (request, response, next) => {
    if (listed.size === 0 || !apiPaths.test(request.url ?? '')) {
      next();
      return;
    }
    handle(request, response, () => {
      // A preflight from an origin not listed: answered, without any permission in it.
      if (request.method === 'OPTIONS') {
        response.writeHead(204, { vary: 'Origin' });
        response.end();
        return;
      }
      next();
    });
  };
}
