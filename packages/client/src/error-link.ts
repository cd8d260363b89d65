import type { AppRouter } from '@mlrpc/api';
import type { TRPCLink } from '@trpc/client';
import { observable } from '@trpc/server/observable';
import { MlrpcError } from './mlrpc-error.js';

/** Turns every failure into an MlrpcError, so callers get our code without digging. */
export const mlrpcErrorLink: TRPCLink<AppRouter> =
  () =>
  ({ next, op }) =>
    observable((observer) =>
      next(op).subscribe({
        next: (value) => observer.next(value),
        error: (error) => observer.error(MlrpcError.from(error)),
        complete: () => observer.complete(),
      }),
    );
