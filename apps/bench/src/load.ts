import autocannon from 'autocannon';

export interface ClosedLoopResult {
  completed: number;
  failed: number;
  perSecond: number;
}

/** `callers` independent loops, each sending its next request once the last one answered. */
export async function closedLoop(
  callers: number,
  durationMs: number,
  call: (caller: number, sequence: number) => Promise<unknown>,
): Promise<ClosedLoopResult> {
  let completed = 0;
  let failed = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  await Promise.all(
    Array.from({ length: callers }, async (_, caller) => {
      for (let sequence = 0; performance.now() < deadline; sequence += 1) {
        try {
          await call(caller, sequence);
          completed += 1;
        } catch {
          failed += 1;
        }
      }
    }),
  );
  return { completed, failed, perSecond: completed / ((performance.now() - started) / 1000) };
}

export interface HttpLoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  total: number;
}

/** HTTP load like wrk: `connections` keep-alive connections posting one JSON body. */
export async function httpLoad(options: {
  url: string;
  body: unknown;
  headers?: Record<string, string>;
  connections: number;
  durationSeconds?: number;
  amount?: number;
}): Promise<HttpLoadResult> {
  const result = await autocannon({
    url: options.url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...options.headers },
    body: JSON.stringify(options.body),
    connections: options.connections,
    ...(options.amount ? { amount: options.amount } : { duration: options.durationSeconds ?? 5 }),
  });
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    total: result.requests.total,
  };
}
