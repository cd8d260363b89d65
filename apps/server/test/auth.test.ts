import { hashApiKey } from '@mlrpc/api';
import { createClient, type MlrpcClient } from '@mlrpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectApiError } from './support/expect-api-error.js';
import { startTcpProxy } from './support/tcp-proxy.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const keys = {
  alice: 'alice-key-1234567890',
  bob: 'bob-key-1234567890',
  reader: 'reader-key-1234567890',
  watcher: 'watcher-key-1234567890',
  ops: 'ops-key-1234567890',
};
const entries = [
  { id: 'alice', sha256: hashApiKey(keys.alice), scopes: ['infer', 'jobs'] },
  { id: 'bob', sha256: hashApiKey(keys.bob), scopes: ['jobs', 'infer'] },
  { id: 'reader', sha256: hashApiKey(keys.reader), scopes: ['infer'] },
  { id: 'watcher', sha256: hashApiKey(keys.watcher), scopes: ['jobs'] },
  { id: 'ops', sha256: hashApiKey(keys.ops), scopes: ['admin'] },
];

let harness: TestServer;
let as: Record<keyof typeof keys, MlrpcClient>;
beforeAll(async () => {
  harness = await startTestServer({ API_KEYS: JSON.stringify(entries) });
  as = {
    alice: createClient({ url: harness.url, apiKey: keys.alice }),
    bob: createClient({ url: harness.url, apiKey: keys.bob }),
    reader: createClient({ url: harness.url, apiKey: keys.reader }),
    watcher: createClient({ url: harness.url, apiKey: keys.watcher }),
    ops: createClient({ url: harness.url, apiKey: keys.ops }),
  };
});
afterAll(() => harness.close());

const metal = { messages: [{ role: 'user' as const, content: 'Define metal.' }] };

describe('API keys', () => {
  it('refuses calls without a key or with an unknown one (401), but not health', async () => {
    await expectApiError(harness.client.embed.mutate({ texts: ['x'] }), {
      code: 'UNAUTHORIZED',
      httpStatus: 401,
      errorCode: 'UNAUTHORIZED',
      message: /API key is required/,
    });
    const stranger = createClient({ url: harness.url, apiKey: 'not-a-key' });
    await expectApiError(stranger.models.list.query(), {
      code: 'UNAUTHORIZED',
      httpStatus: 401,
      errorCode: 'UNAUTHORIZED',
    });
    const raw = await fetch(`${harness.url}/trpc/embed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ json: { texts: ['x'] } }),
    });
    expect(raw.status).toBe(401);
    expect(raw.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await harness.client.health.query()).status).toBeTruthy();
  });

  it('lets each key do what its scopes allow, and only admin load and unload models', async () => {
    expect((await as.reader.embed.mutate({ texts: ['a fox'] })).embeddings).toHaveLength(1);
    await expectApiError(as.reader.jobs.list.query({}), {
      code: 'FORBIDDEN',
      httpStatus: 403,
      errorCode: 'FORBIDDEN',
      message: /lacks the jobs scope/,
    });
    await expectApiError(as.alice.models.load.mutate({ id: 'iris' }), {
      code: 'FORBIDDEN',
      httpStatus: 403,
      errorCode: 'FORBIDDEN',
    });
    expect((await as.ops.models.load.mutate({ id: 'iris' })).state).toBe('ready');
    const viaHeader = await fetch(`${harness.url}/trpc/models.list`, {
      headers: { 'x-api-key': keys.reader },
    });
    expect(viaHeader.status).toBe(200);
  });

  it('lets a jobs-only key follow jobs but not run inference through one', async () => {
    expect((await as.watcher.jobs.list.query({})).jobs).toEqual([]);
    await expectApiError(
      as.watcher.jobs.submit.mutate({ kind: 'embed', input: { texts: ['x'] } }),
      {
        code: 'FORBIDDEN',
        httpStatus: 403,
        errorCode: 'FORBIDDEN',
        message: /lacks the infer scope \(this call needs jobs and infer\)/,
      },
    );
    await expectApiError(as.watcher.embed.mutate({ texts: ['x'] }), {
      code: 'FORBIDDEN',
      httpStatus: 403,
      errorCode: 'FORBIDDEN',
    });
  });

  it('takes a key from connection params only for subscriptions, never for other calls', async () => {
    const params = encodeURIComponent(JSON.stringify({ apiKey: keys.alice }));
    const input = encodeURIComponent(JSON.stringify({ 0: { json: { id: 'iris' } } }));
    // On the lean path, and on tRPC's adapter (which streamed JSON lines send to).
    const variants: Array<Record<string, string>> = [{}, { 'trpc-accept': 'application/jsonl' }];
    for (const headers of variants) {
      const response = await fetch(
        `${harness.url}/trpc/models.get?batch=1&input=${input}&connectionParams=${params}`,
        { headers },
      );
      expect(response.status).toBe(401);
    }
  });

  it('keeps key A from seeing, watching or cancelling key B\u2019s jobs', async () => {
    const job = await as.alice.jobs.submit.mutate({ kind: 'embed', input: { texts: ['mine'] } });
    const notFound = { code: 'NOT_FOUND', httpStatus: 404, errorCode: 'NOT_FOUND' };
    await expectApiError(as.bob.jobs.get.query({ jobId: job.id }), notFound);
    await expectApiError(as.bob.jobs.cancel.mutate({ jobId: job.id }), notFound);
    await expectApiError(
      new Promise((resolve, reject) => {
        as.bob.jobs.watch.subscribe({ jobId: job.id }, { onData: resolve, onError: reject });
      }),
      notFound,
    );
    expect((await as.bob.jobs.list.query({})).jobs).toEqual([]);
    expect((await as.alice.jobs.list.query({})).jobs.map((item) => item.id)).toContain(job.id);
    expect((await as.alice.jobs.get.query({ jobId: job.id })).id).toBe(job.id);
  });

  it('authenticates subscriptions, also after the SSE connection drops and reconnects', async () => {
    const proxy = await startTcpProxy(harness.url);
    const client = createClient({ url: proxy.url, apiKey: keys.alice });
    const states: string[] = [];
    const text = await new Promise<string>((resolve, reject) => {
      let deltas = 0;
      let received = '';
      const subscription = client.chat.stream.subscribe(metal, {
        onData: ({ data }) => {
          if (data.type === 'delta') {
            received += data.text;
            if (++deltas === 3) proxy.cut();
          }
          if (data.type === 'end') {
            subscription.unsubscribe();
            resolve(received);
          }
        },
        onConnectionStateChange: (state) => states.push(state.state),
        onError: reject,
      });
    });
    await proxy.close();
    expect(states.filter((state) => state === 'connecting').length).toBeGreaterThanOrEqual(2);
    expect(text).toMatch(/^Any of several chemical elements/);
  });

  it('takes the key from SSE connection params, as a browser EventSource must send it', async () => {
    const input = encodeURIComponent(JSON.stringify({ json: metal }));
    const stream = (params: object) =>
      fetch(
        `${harness.url}/trpc/chat.stream?input=${input}&connectionParams=${encodeURIComponent(JSON.stringify(params))}`,
        { headers: { accept: 'text/event-stream' } },
      ).then((response) => response.text());
    expect(await stream({ apiKey: keys.alice })).toMatch(/"type":"end"/);
    expect(await stream({ apiKey: 'wrong' })).toMatch(/UNAUTHORIZED/);
  });

  it('guards the OpenAI-compatible routes with the same keys', async () => {
    const call = (key?: string) =>
      fetch(`${harness.url}/v1/embeddings`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(key ? { authorization: `Bearer ${key}` } : {}),
        },
        body: JSON.stringify({ model: 'wordnet-minilm', input: 'a fox' }),
      });
    const refused = await call();
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    expect((await call(keys.reader)).status).toBe(200);
    expect((await fetch(`${harness.url}/v1/models`)).status).toBe(401);
  });
});
