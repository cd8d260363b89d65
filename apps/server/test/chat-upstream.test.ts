import { once } from 'node:events';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from '@mlrpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectChatStream } from './support/collect-stream.js';
import { expectApiError } from './support/expect-api-error.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';
import { settledValue } from './support/settled-value.js';
import { startTestServer, type TestServer } from './support/test-server.js';

let upstream: ServerProcess;
let proxy: TestServer;

async function closedPort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

beforeAll(async () => {
  upstream = await startServerProcess();
  const folder = await mkdtemp(path.join(tmpdir(), 'mlrpc-upstream-'));
  const config = path.join(folder, 'models.json');
  const remote = (id: string, remoteModel: string, baseURL = `${upstream.url}/v1`) => ({
    id,
    task: 'text-generation',
    provider: 'openai-compatible',
    source: remoteModel,
    baseURL,
    apiKey: 'env:UPSTREAM_TEST_KEY',
    instances: 2,
    maxQueueSize: 8,
  });
  await writeFile(
    config,
    JSON.stringify({
      defaults: { 'text-generation': 'remote-chat' },
      models: [
        remote('remote-chat', 'wordnet-chat'),
        remote('remote-random', 'llama-random'),
        remote('nowhere', 'wordnet-chat', `http://127.0.0.1:${await closedPort()}/v1`),
      ],
    }),
  );
  proxy = await startTestServer({ MODELS_CONFIG: config });
});
afterAll(async () => {
  await proxy.close();
  await upstream.kill('SIGTERM');
});

const ask = (content: string) => [{ role: 'user' as const, content }];

describe('a model served by an upstream OpenAI-compatible server', () => {
  it('completes and streams through the upstream, with its usage', async () => {
    const whole = await proxy.client.chat.complete.mutate({
      messages: ask('What does kitten mean?'),
    });
    expect(whole).toMatchObject({
      model: 'remote-chat',
      text: 'Young domestic cat.',
      finishReason: 'stop',
      usage: { completionTokens: 5 },
    });
    const events = await collectChatStream(proxy.client, {
      messages: ask('What does teacher mean?'),
    });
    const deltas = events.filter((event) => event.data.type === 'delta');
    expect(deltas.length).toBeGreaterThanOrEqual(3);
    expect(deltas.map((event) => event.data.text).join('')).toBe(
      'A person whose occupation is teaching.',
    );
  });

  it('passes cancellation on: the upstream stops generating', async () => {
    const upstreamClient = createClient({ url: upstream.url });
    const tokens = async () =>
      (await upstreamClient.models.get.query({ id: 'llama-random' })).models[0]?.stats
        .generatedTokens ?? 0;
    await collectChatStream(
      proxy.client,
      { model: 'remote-random', messages: ask('Ramble.'), maxTokens: 4000 },
      { stopAfterDeltas: 2 },
    );
    const settled = await settledValue(tokens);
    expect(await tokens()).toBe(settled);
    expect(settled).toBeLessThan(400);
  });

  it('fails to load, cleanly, when the upstream cannot be reached', async () => {
    await expectApiError(
      proxy.client.chat.complete.mutate({ model: 'nowhere', messages: ask('hi') }),
      {
        code: 'SERVICE_UNAVAILABLE',
        httpStatus: 503,
        errorCode: 'MODEL_LOAD_FAILED',
      },
    );
  });

  it('turns an upstream dying mid-stream into an error event that ends the stream, not a hang', async () => {
    const stream = collectChatStream(proxy.client, {
      model: 'remote-random',
      messages: ask('Keep going.'),
      maxTokens: 4000,
    });
    await new Promise((resolve) => setTimeout(resolve, 400));
    await upstream.kill('SIGKILL');
    const events = await stream;
    expect(events[0]?.data.type).toBe('start');
    expect(events.at(-1)?.data).toMatchObject({ type: 'error', errorCode: 'UPSTREAM_FAILED' });
    // Resuming replays the same end, rather than looping.
    const replay = await collectChatStream(proxy.client, {
      model: 'remote-random',
      messages: ask('Keep going.'),
      lastEventId: events.at(-2)?.id ?? '',
    });
    expect(replay.map((event) => event.id)).toEqual([events.at(-1)?.id]);
  });
});
