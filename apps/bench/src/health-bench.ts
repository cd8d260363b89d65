import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { percentile } from './statistics.js';

export interface LivenessUnderLoad {
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  sentencesPerSecond: number;
}

/**
 * /health/live latency, one probe after another (10 ms apart), while 32 callers in another
 * process keep the model busy with embeddings.
 */
export async function livenessUnderLoad(url: string, seconds: number): Promise<LivenessUnderLoad> {
  const load = spawn(
    process.execPath,
    [path.join(import.meta.dirname, 'embed-load.js'), url, '32', String(seconds + 2)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  load.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const finished = once(load, 'exit');
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const latencies: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  while (performance.now() < deadline) {
    const sent = performance.now();
    const response = await fetch(`${url}/health/live`);
    await response.arrayBuffer();
    latencies.push(performance.now() - sent);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await finished;
  return {
    samples: latencies.length,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    maxMs: Math.max(...latencies),
    sentencesPerSecond: Number(output.trim()),
  };
}
