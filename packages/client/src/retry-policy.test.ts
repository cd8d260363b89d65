import type { AppRouter } from '@mlrpc/api';
import type { Operation, TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { retryDelayMs, shouldRetry } from './retry-policy.js';

const op = (type: Operation['type']) => ({ type }) as Operation;
const failure = (data: unknown) => ({ data }) as TRPCClientError<AppRouter>;

describe('shouldRetry', () => {
  it('retries queries that failed on the network or with a passing server condition', () => {
    expect(shouldRetry({ op: op('query'), error: failure(undefined), attempts: 1 }, 2)).toBe(true);
    for (const httpStatus of [502, 503, 504]) {
      expect(shouldRetry({ op: op('query'), error: failure({ httpStatus }), attempts: 1 }, 2)).toBe(
        true,
      );
    }
    const shortWait = failure({ httpStatus: 429, retryAfterSeconds: 1 });
    expect(shouldRetry({ op: op('query'), error: shortWait, attempts: 2 }, 2)).toBe(true);
  });

  it('never retries mutations, bad input, long waits, or past the budget', () => {
    expect(shouldRetry({ op: op('mutation'), error: failure(undefined), attempts: 1 }, 2)).toBe(
      false,
    );
    expect(
      shouldRetry({ op: op('query'), error: failure({ httpStatus: 400 }), attempts: 1 }, 2),
    ).toBe(false);
    const longWait = failure({ httpStatus: 429, retryAfterSeconds: 60 });
    expect(shouldRetry({ op: op('query'), error: longWait, attempts: 1 }, 2)).toBe(false);
    expect(shouldRetry({ op: op('query'), error: failure(undefined), attempts: 3 }, 2)).toBe(false);
  });

  it('backs off exponentially, capped', () => {
    expect([0, 1, 2, 10].map(retryDelayMs)).toEqual([250, 500, 1_000, 4_000]);
  });
});
