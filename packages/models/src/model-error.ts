import type { ErrorCode } from '@mlrpc/schema';
import { redactLocations } from './redact-locations.js';

/** An engine failure that carries our error code, so the API layer can report it without guessing. */
export class ModelError extends Error {
  readonly code: ErrorCode;
  readonly retryAfterSeconds: number | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { cause?: unknown; retryAfterSeconds?: number } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'ModelError';
    this.code = code;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** Turns anything thrown while running a model into a ModelError, keeping ours untouched. */
export function toModelError(error: unknown, code: ErrorCode, prefix: string): ModelError {
  if (error instanceof ModelError) return error;
  const detail = redactLocations(error instanceof Error ? error.message : String(error));
  return new ModelError(code, `${prefix}: ${detail}`, { cause: error });
}
