import { errorCodes, type ErrorCode } from '@mlrpc/schema';

const knownCodes = new Set<string>(errorCodes);

/** Errors that a later attempt can get past: overload, timeouts, crashed or unreachable workers. */
const transientCodes: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'MODEL_NOT_LOADED',
  'MODEL_LOAD_FAILED',
  'INFERENCE_FAILED',
  'QUEUE_FULL',
  'TIMEOUT',
  'SHUTTING_DOWN',
  'UPSTREAM_FAILED',
  'IMAGE_FETCH_FAILED',
  'INTERNAL_ERROR',
]);

export interface JobFailure {
  errorCode: ErrorCode;
  message: string;
}

/** A job's failure as callers see it: our error code (INTERNAL_ERROR when unknown) and message. */
export function jobFailureOf(error: unknown): JobFailure {
  const code = (error as { code?: unknown } | null)?.code;
  return {
    errorCode:
      typeof code === 'string' && knownCodes.has(code) ? (code as ErrorCode) : 'INTERNAL_ERROR',
    message: error instanceof Error ? error.message : String(error),
  };
}

/** Retrying bad input only repeats the failure; retrying a transient failure may succeed. */
export function isTransientFailure(failure: JobFailure): boolean {
  return transientCodes.has(failure.errorCode);
}
