import type { AppRouter } from '@mlrpc/api';
import { TRPCClientError, type TRPCLink } from '@trpc/client';
import { observable } from '@trpc/server/observable';

/** Failed reconnects in a row, once a stream was open, before it fails (~30 s at SSE's 3 s pace). */
const maxFailuresOnceOpen = 10;

/**
 * Bounds a subscription's reconnecting: tRPC's SSE link retries a connection forever, so a
 * stream to a server that cannot be reached (down, a wrong URL, an origin its CORS refuses)
 * never ended. A stream that never opened fails after `retries` retries, as a query does; one
 * that was open rides out a restart or a failover, failing after 10 failures in a row.
 */
export function reconnectLimitLink(retries: number): TRPCLink<AppRouter> {
  return () =>
    ({ next, op }) => {
      if (op.type !== 'subscription') return next(op);
      return observable((observer) => {
        let opened = false;
        let failures = 0;
        const subscription = next(op).subscribe({
          next: (value) => {
            const result = value.result as { type?: string; state?: string; error?: unknown };
            if (result.type === 'state' && result.state === 'pending') {
              opened = true;
              failures = 0;
            } else if (result.type === 'state' && result.state === 'connecting' && result.error) {
              failures += 1;
              if (failures > (opened ? maxFailuresOnceOpen : retries)) {
                observer.error(TRPCClientError.from(result.error as Error));
                subscription.unsubscribe();
                return;
              }
            } else if (result.type === undefined) {
              failures = 0;
            }
            observer.next(value);
          },
          error: (error) => observer.error(error),
          complete: () => observer.complete(),
        });
        return () => subscription.unsubscribe();
      });
    };
}
