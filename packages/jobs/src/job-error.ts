import type { ErrorCode } from '@mlrpc/schema';

/** A job failure with our error code, so the API reports it without guessing. */
export class JobError extends Error {
  readonly code: ErrorCode;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, options: { retryAfterSeconds?: number } = {}) {
    super(message);
    this.name = 'JobError';
    this.code = code;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}
