import { errorCodeOf, fieldErrorsOf } from '@mlrpc/api';
import { getTRPCErrorFromUnknown, TRPCError } from '@trpc/server';
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

/** mlrpc's input field names as OpenAI's requests name them. */
const openAINames: Record<string, string> = {
  maxTokens: 'max_tokens',
  topP: 'top_p',
  routingKey: 'user',
  texts: 'input',
  responseFormat: 'response_format',
  toolChoice: 'tool_choice',
  parallelToolCalls: 'parallel_tool_calls',
  topLogprobs: 'top_logprobs',
  toolCalls: 'tool_calls',
  toolCallId: 'tool_call_id',
  topN: 'top_n',
};

/** A field path of mlrpc's input as the path of the same field in the OpenAI request. */
function openAIPath(path: string): string {
  const segments = path.split('.').map((segment) => openAINames[segment] ?? segment);
  if (segments[0] === 'tools' && segments.length > 2 && segments[2] !== 'function') {
    segments.splice(2, 0, 'function');
  }
  if (segments[0] === 'response_format' && segments[1] === 'schema') {
    segments.splice(1, 0, 'json_schema');
  }
  return segments.join('.');
}

/** Fields a message may start with ("dimensions: ...", "tools.0.parameters (f) at ..."). */
const leadingField = /^([a-zA-Z]+(?:\.\d+)?(?:\.[a-zA-Z]+(?:\.\d+)?)*)(?=[: ])/;
const knownFields = new Set([
  ...Object.keys(openAINames),
  ...Object.values(openAINames),
  'messages',
  'model',
  'tools',
  'dimensions',
  'stop',
  'seed',
  'prompt',
  'n',
  'input',
  'query',
  'documents',
]);

/** The request field a failure names, for OpenAI's `param`. */
function paramOf(error: TRPCError, fields: Array<{ path: string }> | undefined): string | null {
  if (fields?.[0]) return openAIPath(fields[0].path) || null;
  if (error.message.startsWith('response schema')) return 'response_format';
  const field = leadingField.exec(error.message)?.[1];
  return field && knownFields.has(field.split('.')[0] ?? '') ? openAIPath(field) : null;
}

/**
 * Any failure as OpenAI clients expect it: an HTTP status and `{ error: { message, type,
 * param, code } }`; validation failures read `field: problem` with OpenAI's field names.
 */
export function toOpenAIError(cause: unknown): {
  status: number;
  body: OpenAIErrorBody;
  headers: Record<string, string>;
} {
  const error = getTRPCErrorFromUnknown(cause);
  const status = getHTTPStatusCodeFromError(error);
  const fields = fieldErrorsOf(error);
  const message = fields
    ? fields.map((field) => `${openAIPath(field.path) || 'body'}: ${field.message}`).join('; ')
    : error.message;
  return {
    status,
    body: {
      error: {
        message,
        type: typeByStatus[status] ?? (status >= 500 ? 'server_error' : 'invalid_request_error'),
        param: status < 500 ? paramOf(error, fields) : null,
        code: fields ? 'INVALID_INPUT' : errorCodeOf(error),
      },
    },
    headers: responseHeaders(undefined, [error]),
  };
}

/** Validates a /v1 body; failures carry zod's issues, so they read like any other input error. */
export function parseOpenAIRequest<Schema extends z.ZodType>(
  schema: Schema,
  body: unknown,
): z.infer<Schema> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  throw new TRPCError({ code: 'BAD_REQUEST', message: 'invalid request', cause: parsed.error });
}

/** Answers with an OpenAI error body and the status and headers that go with it. */
export function sendOpenAIError(response: Response, cause: unknown): void {
  const { status, body, headers } = toOpenAIError(cause);
  response.status(status).set(headers).json(body);
}
