import type { ServerResponse } from 'node:http';
import type { ApiDependencies, ApiMetrics } from '@mlrpc/api';
import express, { type ErrorRequestHandler, type Express } from 'express';
import type { Logger } from 'pino';
import { accessLog } from './access-log.js';
import type { Env } from './env.js';
import { docsRoutes } from './docs-routes.js';
import { healthRoutes } from './health-routes.js';
import { openAIRoutes } from './openai/openai-routes.js';
import { playgroundRoutes } from './playground-routes.js';
import { standardTrpc } from './trpc/trpc-routes.js';

export interface AppOptions {
  env: Env;
  logger: Logger;
  dependencies: ApiDependencies;
  metrics: ApiMetrics;
  isShuttingDown: () => boolean;
  /** The built web playground to serve at `/`; none when it is off or was not built. */
  playgroundDirectory?: string | undefined;
}

/** Draining: still serving, but no connection is kept for another request. */
export function closeWhileDraining(response: ServerResponse, isShuttingDown: () => boolean): void {
  if (isShuttingDown()) response.setHeader('connection', 'close');
}

/** Probes and scrapes come every few seconds: they would drown the access log. */
export const quietPaths = (path: string) => /^\/(health|metrics)/.test(path);

/** The Express app: thin middleware around the tRPC router, as tRPC's own adapters are thin. */
export function createApp(options: AppOptions): Express {
  const { env, logger, dependencies } = options;
  const app = express();
  app.disable('x-powered-by');
  app.use(accessLog(logger, quietPaths));
  app.use((_request, response, next) => {
    closeWhileDraining(response, options.isShuttingDown);
    next();
  });
  app.get('/metrics', async (_request, response) => {
    response
      .type(options.metrics.registry.contentType)
      .send(await options.metrics.registry.metrics());
  });
  // What the lean path in front of Express leaves of /trpc (see request-listener.ts).
  app.use('/trpc', standardTrpc(dependencies, env.BODY_LIMIT_BYTES));
  app.use(openAIRoutes(dependencies, env.BODY_LIMIT_BYTES));
  app.use(docsRoutes(dependencies, env.BODY_LIMIT_BYTES));
  app.use(
    healthRoutes({
      models: dependencies.models,
      serverVersion: dependencies.serverVersion,
      startedAt: dependencies.startedAt,
      isShuttingDown: options.isShuttingDown,
      jobsAvailable: () => dependencies.jobs.available(),
    }),
  );
  if (options.playgroundDirectory) app.use(playgroundRoutes(options.playgroundDirectory));
  app.use((request, response) => {
    response.status(404).json({
      error: { code: 'NOT_FOUND', message: `no route for ${request.method} ${request.path}` },
    });
  });
  const handleError: ErrorRequestHandler = (error: unknown, request, response, _next) => {
    // Body parsing (express.json on /v1) reports bad JSON, oversized or undecodable bodies with
    // a status: those are the caller's mistakes, answered in the same error shape.
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const code =
        status === 413
          ? 'PAYLOAD_TOO_LARGE'
          : status === 401
            ? 'UNAUTHORIZED'
            : status === 404
              ? 'NOT_FOUND'
              : 'INVALID_INPUT';
      const message =
        (error as { type?: unknown }).type === 'entity.parse.failed'
          ? 'request body is not valid JSON'
          : (error as Error).message;
      response.status(status).json({
        error: { code, message, type: 'invalid_request_error', param: null },
      });
      return;
    }
    request.log.error({ err: error }, 'unhandled error');
    response.status(500).json({ error: { code: 'INTERNAL_ERROR', message: 'internal error' } });
  };
  app.use(handleError);
  return app;
}
