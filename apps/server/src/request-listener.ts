import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { accessLog } from './access-log.js';
import { crossOrigin } from './cross-origin.js';
import { assignRequestId } from './request-id.js';
import { closeWhileDraining, createApp, quietPaths, type AppOptions } from './app.js';
import { leanCallOf } from './trpc/lean-call.js';
import { leanTrpc } from './trpc/trpc-routes.js';

const alive = '{"status":"alive"}';

/**
 * The server's request listener. tRPC calls (the bulk of traffic, from the typed client) take
 * the lean path straight from Node's HTTP server: Express's routing cost about 15% of the event
 * loop per small call in a profile of iris predict. Everything else goes through the Express
 * app, which keeps the same access log, request ids and draining behaviour.
 */
export function createRequestListener(options: AppOptions): RequestListener {
  const app = createApp(options);
  const front = accessLog(options.logger, quietPaths);
  const serve = leanTrpc(options.dependencies, options.env.BODY_LIMIT_BYTES);
  const cors = crossOrigin(options.env.CORS_ORIGINS);
  return (request: IncomingMessage, response: ServerResponse) =>
    cors(request, response, () => route(request, response));

  function route(request: IncomingMessage, response: ServerResponse): void {
    // Liveness is probed every few seconds and must answer even when the loop is busy: the
    // shortest path there is, answered before any middleware (probes are never logged).
    if (request.url === '/health/live' && request.method === 'GET') {
      closeWhileDraining(response, options.isShuttingDown);
      assignRequestId(request, response);
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': 18 });
      response.end(alive);
      return;
    }
    const call = leanCallOf(request);
    if (!call) {
      app(request, response);
      return;
    }
    front(request, response, () => {
      closeWhileDraining(response, options.isShuttingDown);
      serve(request, response, call).catch((error: unknown) => {
        request.log.error({ err: error }, 'unhandled error');
        if (response.headersSent) {
          response.destroy();
          return;
        }
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({ error: { code: 'INTERNAL_ERROR', message: 'internal error' } }),
        );
      });
    });
  }
}
