import { httpLoad, type HttpLoadResult } from './load.js';
import { repeat } from './statistics.js';

const row = [5.1, 3.5, 1.4, 0.2];
export const irisInput = {
  model: 'iris',
  inputs: { features: { dtype: 'float32', dims: [1, 4], data: row } },
  topK: 3,
};

export interface IrisTarget {
  name: string;
  url: string;
  body: unknown;
  /** Extra request headers (an API key). */
  headers?: Record<string, string>;
}

/** Requests per second of one small predict, 32 keep-alive connections, like the wrk baseline. */
export async function irisThroughput(
  target: IrisTarget,
  runs: number,
  seconds: number,
): Promise<HttpLoadResult[]> {
  const load = { url: target.url, body: target.body, headers: target.headers ?? {} };
  await httpLoad({ ...load, connections: 32, durationSeconds: 1 });
  return repeat(runs, () => httpLoad({ ...load, connections: 32, durationSeconds: seconds }));
}

/** The probabilities a server returns for the sample row, to prove every server does the same work. */
export async function sampleProbabilities(target: IrisTarget): Promise<number[]> {
  const response = await fetch(target.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...target.headers },
    body: JSON.stringify(target.body),
  });
  const json = (await response.json()) as {
    result?: { data: { json: { outputs: { probabilities: { data: number[] } } } } };
    outputs?: { probabilities: { data: number[] } };
  };
  return (
    json.result?.data.json.outputs.probabilities.data ?? json.outputs?.probabilities.data ?? []
  );
}
