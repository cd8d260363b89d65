import { errorCodeOf } from '@mlrpc/api';
import { getTRPCErrorFromUnknown } from '@trpc/server';
import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import type { OpenAIErrorBody } from '@mlrpc/schema';
import type { Response } from 'express';
import type { z } from 'zod';
import { responseHeaders } from '../response-headers.js';

const typeByStatus: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  408: 'timeout_error',
  413: 'invalid_request_error',
  422: 'invalid_request_error',
  429: 'rate_limit_error',
};

/** Any failure as OpenAI clients expect it: an HTTP status and `{ error: { message, type, code } }`. */
export function toOpenAIError(cause: unknown): {
  status: number;
  body: OpenAIErrorBody;
  headers: Record<string, string>;
} {
  const error = getTRPCErrorFromUnknown(cause);
  const status = getHTTPStatusCodeFromError(error);
  return {
    status,
    body: {
      error: {
        message: error.message,
        type: typeByStatus[status] ?? (status >= 500 ? 'server_error' : 'invalid_request_error'),
        param: null,
        code: errorCodeOf(error),
      },
    },
    headers: responseHeaders(undefined, [error]),
  };
}

/** Validates a /v1 body, failing with the first bad field as OpenAI clients expect. */
export function parseOpenAIRequest<Schema extends z.ZodType>(
  schema: Schema,
  body: unknown,
): z.infer<Schema> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new TRPCError({
    code: 'BAD_REQUEST',
    message: `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid request'}`,
  });
}

/** Answers with an OpenAI error body and the status and headers that go with it. */
export function sendOpenAIError(response: Response, cause: unknown): void {
  const { status, body, headers } = toOpenAIError(cause);
  response.status(status).set(headers).json(body);
}
