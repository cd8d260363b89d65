import type { ServerResponse } from 'node:http';

/** Whether the caller of a /v1 request went away, and the signal that stops its work when it does. */
export interface CallerWatch {
  signal: AbortSignal;
  /** True once the connection closed before the answer was finished. */
  left(): boolean;
  /** Stops whatever still runs for the request (a failure ends every choice). */
  stop(): void;
}

/** Watches a response's connection: closing it before the answer is finished aborts the work. */
export function watchCaller(response: ServerResponse): CallerWatch {
  const controller = new AbortController();
  let left = false;
  response.once('close', () => {
    if (response.writableFinished) return;
    left = true;
    controller.abort();
  });
  return { signal: controller.signal, left: () => left, stop: () => controller.abort() };
}
