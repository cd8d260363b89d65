import { MlrpcError } from '@mlrpc/client';
import { exitCodes } from './exit-codes.js';

/** Prints a result: as one JSON document with --json, else as the human form. */
export function print(json: boolean, value: unknown, human: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
}

/** A readable error on stderr (or JSON with --json) and the exit code that goes with it. */
export function reportError(error: unknown, json: boolean, url?: string): number {
  const failure = MlrpcError.from(error);
  const code = failure.isNetworkError ? exitCodes.unreachable : exitCodes.failed;
  if (json) {
    process.stderr.write(
      `${JSON.stringify({
        error: {
          errorCode: failure.errorCode ?? 'UNREACHABLE',
          message:
            failure.isNetworkError && url
              ? `cannot reach ${url}: ${failure.message}`
              : failure.message,
          httpStatus: failure.httpStatus,
          requestId: failure.requestId,
          retryAfterSeconds: failure.retryAfterSeconds,
          fieldErrors: failure.fieldErrors,
        },
      })}\n`,
    );
    return code;
  }
  if (failure.isNetworkError) {
    process.stderr.write(
      `error: cannot reach the server at ${url ?? 'its URL'} (${failure.message}); is it running? (--url or MLRPC_URL)\n`,
    );
    return code;
  }
  const retry = failure.retryAfterSeconds ? ` (retry in ${failure.retryAfterSeconds} s)` : '';
  process.stderr.write(`error ${failure.errorCode ?? ''}: ${failure.message}${retry}\n`);
  for (const field of failure.fieldErrors) {
    process.stderr.write(`  ${field.path}: ${field.message}\n`);
  }
  if (failure.requestId) process.stderr.write(`  request id: ${failure.requestId}\n`);
  return code;
}
