import type { IncomingMessage, ServerResponse } from 'node:http';
import { appRouter, type ApiDependencies } from '@mlrpc/api';
import { createExpressMiddleware } from '@trpc/server/adapters/express';
import type { RequestHandler } from 'express';
import { contextFor } from '../request-context.js';
import { responseHeaders } from '../response-headers.js';
import { healthStatusCode } from './health-status.js';
import { serveEventStream } from './event-stream.js';
import { serveJsonCalls } from './json-calls.js';
import type { LeanCall } from './lean-call.js';
import { uploadLimitsOf } from '../upload-form.js';

/**
 * Serves a /trpc request on the lean path: plain JSON queries and mutations (single or batched)
 * and SSE subscriptions, over tRPC's own core, without Express routing or the fetch adapter.
 */
export function leanTrpc(dependencies: ApiDependencies, bodyLimit: number) {
  const uploadLimits = uploadLimitsOf(dependencies, bodyLimit);
  return (request: IncomingMessage, response: ServerResponse, call: LeanCall): Promise<void> => {
    const [only] = call.paths;
    if (call.subscription && only !== undefined) {
      return serveEventStream(dependencies, request, response, only, call.query);
    }
    return serveJsonCalls(dependencies, request, response, call, uploadLimits);
  };
}

/** tRPC's standard adapter, for what the lean path leaves (JSON lines, form data, octet streams). */
export function standardTrpc(dependencies: ApiDependencies, bodyLimit: number): RequestHandler {
  return createExpressMiddleware({
    router: appRouter,
    maxBodySize: bodyLimit,
    // Connection params (the API key in the URL) exist for EventSource, which cannot send
    // headers; any other call sends its key as a header, and a key in a URL is refused.
    createContext: ({ req, info }) =>
      contextFor(
        dependencies,
        req,
        info.calls.every((call) => call.procedure?._def.type === 'subscription')
          ? info.connectionParams
          : null,
      ),
    responseMeta: ({ ctx, errors, paths, data }) => {
      const [only] = data;
      const single = paths?.length === 1 && paths[0] === 'health' && only && 'result' in only;
      return {
        headers: responseHeaders(ctx, errors),
        ...(single ? { status: healthStatusCode(only.result.data, 200) } : {}),
      };
    },
    onError: ({ error, path, req }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR') {
        req.log.error({ err: error, procedure: path }, 'procedure failed');
      }
    },
  });
}
