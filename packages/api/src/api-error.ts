import { trpcCodeForErrorCode, type ErrorCode } from '@mlrpc/schema';
import { JobError } from '@mlrpc/jobs';
import { ModelError } from '@mlrpc/models';
import { TRPCError } from '@trpc/server';

/** A tRPC error that also carries our error code; its tRPC code always follows the schema's table. */
export class ApiError extends TRPCError {
  readonly errorCode: ErrorCode;
  readonly retryAfterSeconds: number | undefined;

  constructor(
    errorCode: ErrorCode,
    message: string,
    options: { cause?: unknown; retryAfterSeconds?: number } = {},
  ) {
    super({ code: trpcCodeForErrorCode[errorCode], message, cause: options.cause });
    this.errorCode = errorCode;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

const errorCodeForTrpcCode: Partial<Record<TRPCError['code'], ErrorCode>> = {
  PARSE_ERROR: 'INVALID_INPUT',
  BAD_REQUEST: 'INVALID_INPUT',
  UNPROCESSABLE_CONTENT: 'INVALID_INPUT',
  METHOD_NOT_SUPPORTED: 'INVALID_INPUT',
  UNSUPPORTED_MEDIA_TYPE: 'INVALID_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  TOO_MANY_REQUESTS: 'RATE_LIMITED',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  TIMEOUT: 'TIMEOUT',
  CLIENT_CLOSED_REQUEST: 'CANCELLED',
};

/** Gives an engine error thrown outside a middleware (inside a stream) its proper tRPC code. */
export function fromEngineError(error: unknown): unknown {
  if (!(error instanceof ModelError || error instanceof JobError)) return error;
  return new ApiError(error.code, error.message, {
    cause: error,
    ...(error.retryAfterSeconds === undefined
      ? {}
      : { retryAfterSeconds: error.retryAfterSeconds }),
  });
}

/** Converts a tRPC error caused by the engine to ApiError; anything else stays as it is. */
export function toApiError(error: TRPCError): TRPCError {
  if (error instanceof ApiError) return error;
  const converted = fromEngineError(error.cause);
  return converted instanceof ApiError ? converted : error;
}

/** Our error code for any tRPC error, including the ones tRPC raises itself (bad JSON, no route). */
export function errorCodeOf(error: TRPCError): ErrorCode {
  if (error instanceof ApiError) return error.errorCode;
  return errorCodeForTrpcCode[error.code] ?? 'INTERNAL_ERROR';
}
