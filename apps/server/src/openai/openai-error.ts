import { errorCodeOf } from '@mlrpc/api';
import { getTRPCErrorFromUnknown } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import type { OpenAIErrorBody } from '@mlrpc/schema';
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
