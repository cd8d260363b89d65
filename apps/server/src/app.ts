import { appRouter, type ApiDependencies, type ApiMetrics } from '@mlrpc/api';
import { createExpressMiddleware } from '@trpc/server/adapters/express';
import express, { type ErrorRequestHandler, type Express } from 'express';
import type { Logger } from 'pino';
import { accessLog } from './access-log.js';
import type { Env } from './env.js';
import { docsRoutes } from './docs-routes.js';
import { healthRoutes } from './health-routes.js';
import { contextFor } from './request-context.js';
import { responseHeaders } from './response-headers.js';
import { openAIRoutes } from './openai/openai-routes.js';
import { playgroundRoutes } from './playground-routes.js';
import { singleCallHandler } from './single-call-handler.js';

export interface AppOptions {
  env: Env;
  logger: Logger;
  dependencies: ApiDependencies;
  metrics: ApiMetrics;
  isShuttingDown: () => boolean;
  /** The built web playground to serve at `/`; none when it is off or was not built. */
  playgroundDirectory?: string | undefined;
}

/** The Express app: thin middleware around the tRPC router, as tRPC's own adapters are thin. */
export function createApp(options: AppOptions): Express {
  const { env, logger, dependencies } = options;
  const app = express();
  app.disable('x-powered-by');
  // Probes and scrapes come every few seconds: they would drown the access log.
  app.use(accessLog(logger, (path) => /^\/(health|metrics)/.test(path)));
  app.use((_request, response, next) => {
    // Draining: still serving, but no connection is kept for another request.
    if (options.isShuttingDown()) response.setHeader('connection', 'close');
    next();
  });
  app.get('/metrics', async (_request, response) => {
    response
      .type(options.metrics.registry.contentType)
      .send(await options.metrics.registry.metrics());
  });
  app.use('/trpc', singleCallHandler(dependencies, env.BODY_LIMIT_BYTES));
  app.use(openAIRoutes(dependencies, env.BODY_LIMIT_BYTES));
  app.use(docsRoutes(dependencies, env.BODY_LIMIT_BYTES));
  app.use(
    healthRoutes({
      models: dependencies.models,
      serverVersion: dependencies.serverVersion,
      startedAt: dependencies.startedAt,
      isShuttingDown: options.isShuttingDown,
    }),
  );
  app.use(
    '/trpc',
    createExpressMiddleware({
      router: appRouter,
      maxBodySize: env.BODY_LIMIT_BYTES,
      createContext: ({ req, info }) => contextFor(dependencies, req, info.connectionParams),
      responseMeta: ({ ctx, errors }) => ({ headers: responseHeaders(ctx, errors) }),
      onError: ({ error, path, req }) => {
        if (error.code === 'INTERNAL_SERVER_ERROR') {
          req.log.error({ err: error, procedure: path }, 'procedure failed');
        }
      },
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
