import type { IncomingMessage } from 'node:http';
import { mediaTypeOf } from '../media-type.js';
import { isFormUpload } from '../upload-form.js';
import { procedureTypeOf } from './procedure-calls.js';

/** A /trpc request the lean path serves: its procedure paths, query and kind. */
export interface LeanCall {
  paths: string[];
  query: URLSearchParams;
  batch: boolean;
  /** A subscription over SSE (one path, GET). */
  subscription: boolean;
  /** A mutation whose input is a multipart form (a file upload), not JSON. */
  form: boolean;
}

function isJsonBody(request: IncomingMessage): boolean {
  return request.method === 'GET' || mediaTypeOf(request) === 'application/json';
}

/**
 * Whether a request is one for the lean path: a /trpc query or mutation with a JSON body (single
 * or batched) or a form upload, or a subscription. Anything else (JSON lines streaming, octet
 * streams, malformed paths) is left to tRPC's standard adapter.
 */
export function leanCallOf(request: IncomingMessage): LeanCall | undefined {
  const url = request.url ?? '';
  if (!url.startsWith('/trpc/')) return undefined;
  if (request.method !== 'GET' && request.method !== 'POST') return undefined;
  const form = request.method === 'POST' && isFormUpload(request);
  if (
    (!form && !isJsonBody(request)) ||
    (request.headers.accept ?? '').includes('application/jsonl')
  ) {
    return undefined;
  }
  const queryAt = url.indexOf('?');
  const pathname = queryAt === -1 ? url.slice(6) : url.slice(6, queryAt);
  let paths: string[];
  try {
    paths = decodeURIComponent(pathname).split(',');
  } catch {
    return undefined;
  }
  const query = new URLSearchParams(queryAt === -1 ? '' : url.slice(queryAt + 1));
  const batch = query.get('batch') === '1';
  const [only] = paths;
  const subscription =
    !batch &&
    request.method === 'GET' &&
    only !== undefined &&
    procedureTypeOf(only) === 'subscription';
  return { paths, query, batch, subscription, form };
}
