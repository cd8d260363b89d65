import type { ErrorData } from '@mlrpc/schema';
import type { TRPCDefaultErrorShape, TRPCError } from '@trpc/server';
import { ApiError, errorCodeOf } from './api-error.js';

interface Issue {
  path?: ReadonlyArray<PropertyKey | { key: PropertyKey }>;
  message: string;
}

function issuesOf(cause: unknown): Issue[] | undefined {
  if (typeof cause !== 'object' || cause === null || !('issues' in cause)) return undefined;
  const issues: unknown = cause.issues;
  return Array.isArray(issues) ? (issues as Issue[]) : undefined;
}

function pathToString(path: Issue['path']): string {
  return (path ?? [])
    .map((segment) => String(typeof segment === 'object' ? segment.key : segment))
    .join('.');
}

/** The field paths and messages of an input validation failure; undefined for other errors. */
export function fieldErrorsOf(
  error: TRPCError,
): Array<{ path: string; message: string }> | undefined {
  const issues = error.code === 'BAD_REQUEST' ? issuesOf(error.cause) : undefined;
  return issues?.map((issue) => ({ path: pathToString(issue.path), message: issue.message }));
}

export type ErrorShape = Omit<TRPCDefaultErrorShape, 'data'> & {
  data: ErrorData & { path?: string };
};

/** Adds our error code, the request id and zod's field paths to every error a caller sees. */
export function formatError(options: {
  shape: TRPCDefaultErrorShape;
  error: TRPCError;
  ctx: { requestId?: string } | undefined;
}): ErrorShape {
  const { shape, error, ctx } = options;
  // Only input validation reports field paths; a failed output check is our bug, not the caller's.
  const fieldErrors = fieldErrorsOf(error);
  const { stack: _stack, ...data } = shape.data;
  return {
    ...shape,
    message: fieldErrors
      ? fieldErrors.map((field) => `${field.path || 'input'}: ${field.message}`).join('; ')
      : shape.message,
    data: {
      ...data,
      errorCode: fieldErrors ? 'INVALID_INPUT' : errorCodeOf(error),
      ...(ctx?.requestId === undefined ? {} : { requestId: ctx.requestId }),
      ...(error instanceof ApiError && error.retryAfterSeconds !== undefined
        ? { retryAfterSeconds: error.retryAfterSeconds }
        : {}),
      ...(fieldErrors ? { fieldErrors } : {}),
    },
  };
}
