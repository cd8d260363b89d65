import type { AppRouter } from '@mlrpc/api';
import type { Operation, TRPCClientError } from '@trpc/client';

const retriedStatuses = new Set([502, 503, 504]);

/**
 * Retries only what is safe to repeat: queries (they change nothing) that failed on the network or
 * with a passing server condition (502/503/504, or 429 asking for a short wait), at most
 * `maxRetries` times. Mutations are never retried: the first may have done its work.
 */
export function shouldRetry(
  options: { op: Operation; error: TRPCClientError<AppRouter>; attempts: number },
  maxRetries: number,
): boolean {
  if (options.op.type !== 'query' || options.attempts > maxRetries) return false;
  const data = options.error.data as
    { httpStatus?: number; retryAfterSeconds?: number } | undefined | null;
  if (!data) return true;
  if (data.httpStatus === 429) return (data.retryAfterSeconds ?? 1) <= 5;
  return retriedStatuses.has(data.httpStatus ?? 0);
}

/** 250 ms, 500 ms, 1 s, ... capped at 4 s. */
export const retryDelayMs = (attempt: number): number => Math.min(250 * 2 ** attempt, 4_000);
