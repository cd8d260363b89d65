import { once } from 'node:events';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { errorCodes } from '@mlrpc/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { malformedCalls, type FuzzCall } from './reliability/malformed-inputs.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';

const knownCodes = new Set<string>(errorCodes);

async function residentMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN) / 1024;
}

/** Our error code in an error body, wherever the route family puts it. */
function errorCodesIn(body: unknown, at: FuzzCall['errorCodeAt']): unknown[] {
  const items = Array.isArray(body) ? body : [body];
  return items
    .map((item) => {
      const value = item as {
        error?: { json?: { data?: { errorCode?: unknown } }; code?: unknown };
        data?: { errorCode?: unknown };
        result?: unknown;
      };
      if (value.result !== undefined) return undefined; // a batch's successful call
      if (at === 'openai') return value.error?.code;
      if (at === 'rest') return value.data?.errorCode;
      return value.error?.json?.data?.errorCode;
    })
    .filter((code) => code !== undefined || !Array.isArray(body));
}

let server: ServerProcess;
beforeAll(async () => {
  server = await startServerProcess({ JOBS_MAX_QUEUED: '50' });
});
afterAll(() => server.kill('SIGTERM'));

describe('reliability: malformed input', () => {
  it('answers 10,000 malformed calls on /trpc (plain and batched, lying superjson meta, form uploads), /api and /v1, deep JSON too, with our error codes: no 5xx, no crash', async () => {
    const calls = malformedCalls(10_000);
    const problems: string[] = [];
    const statuses = new Map<number, number>();
    let next = 0;
    const worker = async () => {
      for (let index = next++; index < calls.length; index = next++) {
        const call = calls[index] as FuzzCall;
        const response = await fetch(`${server.url}${call.path}`, {
          method: call.method,
          headers: call.contentType ? { 'content-type': call.contentType } : {},
          ...(call.body === undefined ? {} : { body: call.body }),
        });
        const text = await response.text();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        if (response.status >= 500) {
          problems.push(
            `${response.status} ${call.method} ${call.path} ${call.body ?? ''}: ${text}`,
          );
          continue;
        }
        if (response.status >= 400) {
          let body: unknown;
          try {
            body = JSON.parse(text);
          } catch {
            problems.push(`non-JSON ${response.status} for ${call.path}: ${text.slice(0, 200)}`);
            continue;
          }
          const codes = errorCodesIn(body, call.errorCodeAt);
          if (codes.length === 0 || !codes.every((code) => knownCodes.has(String(code)))) {
            problems.push(
              `no error code in ${response.status} for ${call.path}: ${text.slice(0, 300)}`,
            );
          }
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, () => worker()));
    expect(problems.slice(0, 12), `${problems.length} problems`).toEqual([]);
    expect([...statuses.values()].reduce((sum, count) => sum + count, 0)).toBe(10_000);
    // Still up and serving: no crash, no wedged queue.
    expect((await fetch(`${server.url}/health/live`)).status).toBe(200);
    const embedded = await fetch(`${server.url}/trpc/embed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ json: { texts: ['still serving'] } }),
    });
    expect(embedded.status).toBe(200);
  });
});

describe('reliability: image URLs (SSRF), end to end', () => {
  it('refuses loopback, IPv6 loopback and a name resolving to loopback, connecting to none', async () => {
    let reached = 0;
    const target = createServer((_, response) => {
      reached += 1;
      response.end('not an image');
    });
    target.listen(0, '127.0.0.1');
    await once(target, 'listening');
    const port = (target.address() as AddressInfo).port;
    const predict = (url: string) =>
      fetch(`${server.url}/trpc/predict`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ json: { image: { url } } }),
      }).then(async (response) => ({
        status: response.status,
        body: (await response.json()) as {
          error: { json: { data: { errorCode: string }; message: string } };
        },
      }));
    try {
      for (const url of [
        `http://127.0.0.1:${port}/digit.png`,
        `http://[::1]:${port}/digit.png`,
        `http://localhost:${port}/digit.png`,
      ]) {
        const { status, body } = await predict(url);
        expect(status, url).toBe(400);
        expect(body.error.json.data.errorCode).toBe('IMAGE_FETCH_FAILED');
        expect(body.error.json.message).toMatch(/refusing to fetch/);
      }
      expect(reached).toBe(0);
    } finally {
      target.close();
    }
  });
});

describe('reliability: overload', () => {
  it('meets a burst of 10x capacity with answers or 429/503 and Retry-After, in bounded memory', async () => {
    // A model with a small queue: 32 calls may wait while a batch (up to 8) runs.
    const config = path.join(tmpdir(), `mlrpc-burst-${process.pid}.json`);
    await writeFile(
      config,
      JSON.stringify({
        defaults: { 'feature-extraction': 'burst' },
        models: [
          {
            id: 'burst',
            task: 'feature-extraction',
            source: 'local/all-MiniLM-L6-v2-random',
            dtype: 'q8',
            maxBatchSize: 8,
            maxQueueSize: 32,
          },
        ],
      }),
    );
    const busy = await startServerProcess({ MODELS_CONFIG: config });
    try {
      const burst = async () => {
        const outcomes = await Promise.all(
          Array.from({ length: 400 }, (_, index) =>
            fetch(`${busy.url}/trpc/embed`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ json: { texts: [`burst sentence number ${index}`] } }),
            }).then(async (response) => {
              await response.arrayBuffer();
              return { status: response.status, retryAfter: response.headers.get('retry-after') };
            }),
          ),
        );
        const bad = outcomes.filter(
          (outcome) =>
            outcome.status !== 200 &&
            !(
              (outcome.status === 429 || outcome.status === 503) &&
              Number(outcome.retryAfter) >= 1
            ),
        );
        expect(bad).toEqual([]);
        // At the burst's instant: one call running, 32 waiting.
        expect(outcomes.filter((outcome) => outcome.status === 200).length).toBeGreaterThanOrEqual(
          33,
        );
        expect(outcomes.filter((outcome) => outcome.status === 429).length).toBeGreaterThan(0);
      };
      await burst();
      const afterFirst = await residentMiB(busy.pid);
      for (let round = 0; round < 3; round += 1) await burst();
      const afterMore = await residentMiB(busy.pid);
      // Refused work is not kept: more bursts leave memory where the first left it.
      expect(afterMore).toBeLessThan(afterFirst * 1.15 + 20);
      expect((await fetch(`${busy.url}/health/live`)).status).toBe(200);
    } finally {
      await busy.kill('SIGTERM');
    }
  });
});
