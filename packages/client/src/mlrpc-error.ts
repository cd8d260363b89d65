import type { AppRouter } from '@mlrpc/api';
import type { ErrorCode, ErrorData } from '@mlrpc/schema';
import { TRPCClientError } from '@trpc/client';

/**
 * Every failed call from @mlrpc/client: our error code (what to switch on), the tRPC code and
 * HTTP status, the request id (to find the server's log line), and when to retry. Still a
 * TRPCClientError, so tRPC tooling keeps working.
 */
export class MlrpcError extends TRPCClientError<AppRouter> {
  override readonly name = 'MlrpcError';

  constructor(message: string, options?: ConstructorParameters<typeof TRPCClientError>[1]) {
    super(message, options);
    // TRPCClientError's constructor pins the prototype to its own: restore ours.
    Object.setPrototypeOf(this, MlrpcError.prototype);
  }

  /** Our error code; undefined when the server never answered (network failure). */
  get errorCode(): ErrorCode | undefined {
    return (this.data as ErrorData | undefined)?.errorCode;
  }

  get trpcCode(): string | undefined {
    return (this.data as ErrorData | undefined)?.code;
  }

  get httpStatus(): number | undefined {
    return (this.data as ErrorData | undefined)?.httpStatus;
  }

  get requestId(): string | undefined {
    return (this.data as ErrorData | undefined)?.requestId;
  }

  /** Set on 429 and 503: come back after this many seconds. */
  get retryAfterSeconds(): number | undefined {
    return (this.data as ErrorData | undefined)?.retryAfterSeconds;
  }

  /** For bad input: which fields, and what is wrong with each. */
  get fieldErrors(): Array<{ path: string; message: string }> {
    return (this.data as ErrorData | undefined)?.fieldErrors ?? [];
  }

  /** True when no answer came back at all (server down, connection refused or cut). */
  get isNetworkError(): boolean {
    return this.data === undefined || this.data === null;
  }

  /** Wraps whatever a call failed with. */
  static override from(error: unknown): MlrpcError {
    if (error instanceof MlrpcError) return error;
    if (error instanceof TRPCClientError) {
      const client = error as TRPCClientError<AppRouter>;
      return new MlrpcError(client.message, {
        ...(client.shape ? { result: { error: client.shape } } : {}),
        ...(client.cause ? { cause: client.cause } : {}),
        ...(client.meta ? { meta: client.meta } : {}),
      });
    }
    const cause = error instanceof Error ? error : new Error(String(error));
    return new MlrpcError(cause.message, { cause });
  }
}
