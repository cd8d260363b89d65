import { appRouter, createOpenApiDocument, restPrefix, type ApiDependencies } from '@mlrpc/api';
import { Router } from 'express';
import swaggerUi from 'swagger-ui-express';
import { createOpenApiExpressMiddleware } from 'trpc-to-openapi';
import { contextFor } from './request-context.js';
import { responseHeaders } from './response-headers.js';
import { restBody } from './rest-body.js';
import { uploadLimitsOf } from './upload-form.js';

/**
 * The REST face of the non-streaming procedures (`/api/...`), its OpenAPI document
 * (`/openapi.json`) and an interactive page to try them (`/docs`, Swagger UI served from the
 * package, so it works without internet).
 */
export function docsRoutes(dependencies: ApiDependencies, bodyLimit: number): Router {
  const router = Router();
  router.get('/openapi.json', (request, response) => {
    response.json(
      createOpenApiDocument({
        baseUrl: `${request.protocol}://${request.get('host') ?? 'localhost'}`,
        version: dependencies.serverVersion,
      }),
    );
  });
  router.use(
    '/docs',
    swaggerUi.serve,
    swaggerUi.setup(undefined, {
      customSiteTitle: 'mlrpc API',
      swaggerOptions: { url: '/openapi.json', persistAuthorization: true },
    }),
  );
  router.use(
    restPrefix,
    restBody(uploadLimitsOf(dependencies, bodyLimit)),
    createOpenApiExpressMiddleware({
      router: appRouter,
      maxBodySize: bodyLimit,
      createContext: ({ req }) => contextFor(dependencies, req),
      responseMeta: ({ ctx, errors }) => ({ headers: responseHeaders(ctx, errors) }),
    }),
  );
  return router;
}
