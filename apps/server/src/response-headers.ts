import { ApiError, type Context } from '@mlrpc/api';
import type { TRPCError } from '@trpc/server';

/**
 * Headers a response owes its caller: Retry-After (the longest retry hint among its errors),
 * RateLimit-* (the tightest limit its calls counted against) and WWW-Authenticate on 401.
 */
export function responseHeaders(
  ctx: Context | undefined,
  errors: readonly TRPCError[],
): Record<string, string> {
  const headers: Record<string, string> = {};
  const seconds = errors
    .map((error) => (error instanceof ApiError ? error.retryAfterSeconds : undefined))
    .filter((value): value is number => value !== undefined);
  if (seconds.length > 0) headers['retry-after'] = String(Math.max(...seconds));
  const limit = ctx?.response.rateLimit;
  if (limit) {
    headers['ratelimit-limit'] = String(limit.limit);
    headers['ratelimit-remaining'] = String(limit.remaining);
    headers['ratelimit-reset'] = String(limit.resetSeconds);
  }
  if (errors.some((error) => error.code === 'UNAUTHORIZED')) {
    headers['www-authenticate'] = 'Bearer realm="mlrpc"';
  }
  return headers;
}
