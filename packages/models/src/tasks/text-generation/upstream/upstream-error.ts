import { redactLocations } from '../../../redact-locations.js';
import OpenAI from 'openai';
import { ModelError } from '../../../model-error.js';

/** An upstream failure in our terms: its 4xx stay the caller's fault, the rest is a bad gateway. */
export function upstreamError(error: unknown): ModelError {
  if (error instanceof ModelError) return error;
  if (error instanceof OpenAI.APIError && error.status !== undefined) {
    const detail = `the upstream answered ${error.status}: ${redactLocations(error.message)}`;
    if (error.status === 429) {
      const headers = error.headers as Headers | undefined;
      const retryAfter = Number(headers?.get('retry-after') ?? 1);
      return new ModelError('RATE_LIMITED', detail, {
        cause: error,
        retryAfterSeconds: retryAfter || 1,
      });
    }
    if (error.status === 400 || error.status === 422)
      return new ModelError('INVALID_INPUT', detail, { cause: error });
  }
  const message = redactLocations(error instanceof Error ? error.message : String(error));
  return new ModelError('UPSTREAM_FAILED', `the upstream failed: ${message}`, { cause: error });
}
