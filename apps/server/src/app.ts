import { appRouter, createContext, type ApiDependencies } from '@mlrpc/api';
import { createExpressMiddleware } from '@trpc/server/adapters/express';
import express, { type ErrorRequestHandler, type Express } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { Env } from './env.js';
import { healthRoutes } from './health-routes.js';
import { assignRequestId } from './request-id.js';
import { retryAfterHeaders } from './retry-after.js';
import { openAIRoutes } from './openai/openai-routes.js';
import { singleCallHandler } from './single-call-handler.js';

export interface AppOptions {
  env: Env;
  logger: Logger;
  dependencies: ApiDependencies;
  isShuttingDown: () => boolean;
}

/** The Express app: thin middleware around the tRPC router, as tRPC's own adapters are thin. */
export function createApp(options: AppOptions): Express {
  const { env, logger, dependencies } = options;
  const app = express();
  app.disable('x-powered-by');
  app.use(
    pinoHttp({
      logger,
      genReqId: assignRequestId,
      customLogLevel: (_request, response, error) =>
        error || response.statusCode >= 500
          ? 'error'
          : response.statusCode >= 400
            ? 'warn'
            : 'info',
      autoLogging: { ignore: (request) => request.url?.startsWith('/health') ?? false },
      serializers: {
        req: (request: { id: unknown; method: string; url: string }) => ({
          id: request.id,
          method: request.method,
          url: request.url,
        }),
        res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
      },
    }),
  );
  app.use('/trpc', singleCallHandler(dependencies, env.BODY_LIMIT_BYTES));
  app.use(openAIRoutes(dependencies, env.BODY_LIMIT_BYTES));
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
      createContext: ({ req }) =>
        // assignRequestId only makes strings.
        createContext(dependencies, req.id as string),
      responseMeta: ({ errors }) => ({ headers: retryAfterHeaders(errors) }),
      onError: ({ error, path, req }) => {
        if (error.code === 'INTERNAL_SERVER_ERROR') {
          req.log.error({ err: error, procedure: path }, 'procedure failed');
        }
      },
    }),
  );
  app.use((request, response) => {
    response.status(404).json({
      error: { code: 'NOT_FOUND', message: `no route for ${request.method} ${request.path}` },
    });
  });
  const handleError: ErrorRequestHandler = (error: unknown, request, response, _next) => {
    request.log.error({ err: error }, 'unhandled error');
    response.status(500).json({ error: { code: 'INTERNAL_ERROR', message: 'internal error' } });
  };
  app.use(handleError);
  return app;
}
