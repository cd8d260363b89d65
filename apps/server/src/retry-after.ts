import { ApiError } from '@mlrpc/api';
import type { TRPCError } from '@trpc/server';

/** Turns the longest retry hint among a response's errors into an HTTP Retry-After header. */
export function retryAfterHeaders(errors: readonly TRPCError[]): Record<string, string> {
  const seconds = errors
    .map((error) => (error instanceof ApiError ? error.retryAfterSeconds : undefined))
    .filter((value): value is number => value !== undefined);
  return seconds.length > 0 ? { 'Retry-After': String(Math.max(...seconds)) } : {};
}
