import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { hashApiKey } from '@mlrpc/api';
import { createClient } from '@mlrpc/client';
import parsePrometheusTextFormat, { type MetricFamily } from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectApiError } from './support/expect-api-error.js';
import { digitsRoot } from './support/paths.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const keys = { alice: 'alice-key-0987654321', bob: 'bob-key-0987654321' };
let harness: TestServer;
beforeAll(async () => {
  harness = await startTestServer({
    API_KEYS: JSON.stringify([
      { id: 'alice', sha256: hashApiKey(keys.alice), scopes: ['infer', 'jobs'] },
      { id: 'bob', sha256: hashApiKey(keys.bob), scopes: ['infer', 'jobs'] },
    ]),
    RATE_LIMITS: 'predict=3/minute,chat=2/minute,default=1000/minute',
  });
});
afterAll(() => harness.close());

const iris = {
  inputs: { features: { dtype: 'float32' as const, dims: [1, 4], data: [5.1, 3.5, 1.4, 0.2] } },
};
const metal = { messages: [{ role: 'user' as const, content: 'Define metal.' }] };

interface Scrape {
  families: MetricFamily[];
  /** Every sample line: name, labels and value. */
  samples: Array<{ name: string; labels: Record<string, string>; value: number }>;
}

async function scrape(): Promise<Scrape> {
  const response = await fetch(`${harness.url}/metrics`);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
  const text = await response.text();
  // The parser (a port of Prometheus' own) throws on malformed exposition text.
  const families = parsePrometheusTextFormat(text);
  const samples = text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not a sample line: ${line}`);
      const labels: Record<string, string> = {};
      for (const pair of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
        labels[pair[1] ?? ''] = pair[2] ?? '';
      }
      return { name: match[1] ?? '', labels, value: Number(match[3]) };
    });
  return { families, samples };
}

function sample(scraped: Scrape, name: string, labels: Record<string, string>): number {
  const found = scraped.samples.find(
    (item) =>
      item.name === name &&
      Object.entries(labels).every(([key, value]) => item.labels[key] === value),
  );
  return found?.value ?? 0;
}

describe('rate limits', () => {
  it('allows each key its own budget per procedure, then answers 429 with Retry-After', async () => {
    const raw = (key: string) =>
      fetch(`${harness.url}/trpc/predict`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ json: iris }),
      });
    const answers = [];
    for (let call = 0; call < 4; call += 1) answers.push(await raw(keys.alice));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 429]);
    expect(answers[0]?.headers.get('ratelimit-limit')).toBe('3');
    expect(answers[2]?.headers.get('ratelimit-remaining')).toBe('0');
    expect(Number(answers[3]?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await answers[3]?.json()).toMatchObject({
      error: { json: { data: { errorCode: 'RATE_LIMITED', httpStatus: 429 } } },
    });
    // An image upload is predict in another encoding: it draws on the same budget.
    const alice = createClient({ url: harness.url, apiKey: keys.alice });
    await expectApiError(
      alice.predictImage.mutate({ image: await readFile(path.join(digitsRoot, '7/1009.png')) }),
      { code: 'TOO_MANY_REQUESTS', httpStatus: 429, errorCode: 'RATE_LIMITED' },
    );
    // Another key, and another procedure of the same key, have their own budgets.
    expect((await raw(keys.bob)).status).toBe(200);
    expect((await alice.embed.mutate({ texts: ['still fine'] })).embeddings).toHaveLength(1);
  });

  it('counts subscriptions too', async () => {
    const bob = createClient({ url: harness.url, apiKey: keys.bob });
    const open = () =>
      new Promise((resolve, reject) => {
        const subscription = bob.chat.stream.subscribe(metal, {
          onData: ({ data }) => {
            if (data.type === 'end') {
              subscription.unsubscribe();
              resolve(data);
            }
          },
          onError: reject,
        });
      });
    await open();
    await open();
    await expectApiError(open(), {
      code: 'TOO_MANY_REQUESTS',
      httpStatus: 429,
      errorCode: 'RATE_LIMITED',
    });
  });
});

describe('/metrics', () => {
  it('is Prometheus text that moves with traffic: calls, engine, chat, jobs and the event loop', async () => {
    const alice = createClient({ url: harness.url, apiKey: keys.alice });
    const before = await scrape();
    const calls = (scraped: Scrape) =>
      sample(scraped, 'mlrpc_requests_total', { procedure: 'embed', code: 'OK' });
    await Promise.all([1, 2, 3].map(() => alice.embed.mutate({ texts: ['a fox', 'a dog'] })));
    await expectApiError(alice.embed.mutate({ model: 'no-such-model', texts: ['x'] }), {
      code: 'NOT_FOUND',
      httpStatus: 404,
      errorCode: 'MODEL_NOT_FOUND',
    });
    await alice.chat.complete.mutate(metal);
    await alice.jobs.submit.mutate({ kind: 'embed', input: { texts: ['queued'] } });
    const after = await scrape();
    expect(calls(after) - calls(before)).toBe(3);
    expect(
      sample(after, 'mlrpc_requests_total', { procedure: 'embed', code: 'MODEL_NOT_FOUND' }),
    ).toBe(1);
    const names = new Set(after.families.map((family) => family.name));
    for (const name of [
      'mlrpc_request_duration_seconds',
      'mlrpc_queue_time_seconds',
      'mlrpc_inference_time_seconds',
      'mlrpc_batch_size',
      'mlrpc_time_to_first_token_seconds',
      'mlrpc_generation_tokens_per_second',
      'mlrpc_queue_depth',
      'mlrpc_model_state',
      'mlrpc_model_load_seconds',
      'mlrpc_jobs',
      'nodejs_eventloop_lag_p99_seconds',
    ]) {
      expect(names, name).toContain(name);
    }
    expect(sample(after, 'mlrpc_model_state', { model: 'wordnet-minilm', state: 'ready' })).toBe(1);
    expect(
      sample(after, 'mlrpc_batch_size_count', { model: 'wordnet-minilm' }) -
        sample(before, 'mlrpc_batch_size_count', { model: 'wordnet-minilm' }),
    ).toBe(3);
    const firstTokens = (scraped: Scrape) =>
      sample(scraped, 'mlrpc_time_to_first_token_seconds_count', { model: 'wordnet-chat' });
    expect(firstTokens(after) - firstTokens(before)).toBe(1);
  });
});
