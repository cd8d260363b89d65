import { generateOpenApiDocument } from 'trpc-to-openapi';
import { appRouter } from '../root.js';

/** Where the REST routes of the non-streaming procedures live. */
export const restPrefix = '/api';

/**
 * The OpenAPI 3 document of every non-streaming procedure as a plain JSON route, generated from
 * the same zod schemas the procedures validate with (streams stay on tRPC's SSE and /v1).
 */
export function createOpenApiDocument(options: {
  baseUrl: string;
  version: string;
}): ReturnType<typeof generateOpenApiDocument> {
  return generateOpenApiDocument(appRouter, {
    title: 'mlrpc',
    description:
      'Model serving over tRPC. These REST routes mirror the tRPC procedures of the same names ' +
      '(POST /api/embed is embed). Streaming (chat.stream, jobs.watch) is served over tRPC ' +
      'subscriptions (SSE) and the OpenAI-compatible /v1 routes. Errors carry our error code in ' +
      '`code` of the error body; 429 and 503 come with Retry-After.',
    version: options.version,
    baseUrl: `${options.baseUrl}${restPrefix}`,
    securitySchemes: {
      bearer: { type: 'http', scheme: 'bearer', description: 'An API key (when auth is on)' },
    },
  });
}
