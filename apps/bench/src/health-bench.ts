import { createClient } from '@mlrpc/client';
import { closedLoop } from './load.js';
import { percentile } from './statistics.js';

export interface LivenessUnderLoad {
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  sentencesPerSecond: number;
}

/** /health/live latency, one probe after another, while 32 callers keep the model busy. */
export async function livenessUnderLoad(
  url: string,
  sentences: string[],
  seconds: number,
): Promise<LivenessUnderLoad> {
  const client = createClient({ url, batch: false });
  const load = closedLoop(32, (seconds + 2) * 1000, (caller, sequence) =>
    client.embed.mutate({ texts: [sentences[(caller * 31 + sequence) % sentences.length] ?? 'x'] }),
  );
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const latencies: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  while (performance.now() < deadline) {
    const sent = performance.now();
    const response = await fetch(`${url}/health/live`);
    await response.arrayBuffer();
    latencies.push(performance.now() - sent);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const { perSecond } = await load;
  return {
    samples: latencies.length,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    maxMs: Math.max(...latencies),
    sentencesPerSecond: perSecond,
  };
}
