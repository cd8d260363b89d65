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

  it('passes JSON schemas, tools and logprobs through to the upstream and reads its answers', async () => {
    const schema = {
      type: 'object',
      properties: {
        word: { type: 'string', maxLength: 12 },
        count: { type: 'integer', minimum: 1, maximum: 9 },
      },
      required: ['word', 'count'],
    };
    const shaped = await proxy.client.chat.complete.mutate({
      model: 'remote-random',
      messages: ask('Count something.'),
      maxTokens: 40,
      responseFormat: { type: 'json-schema', schema },
    });
    expect(JSON.parse(shaped.text)).toEqual({
      word: expect.any(String) as unknown,
      count: expect.any(Number) as unknown,
    });
    const tools = [{ name: 'count_words', parameters: schema }];
    const called = await proxy.client.chat.complete.mutate({
      model: 'remote-random',
      messages: ask('Count.'),
      maxTokens: 40,
      tools,
      toolChoice: 'required',
      parallelToolCalls: false,
    });
    expect(called.finishReason).toBe('tool_calls');
    expect(called.toolCalls).toHaveLength(1);
    expect(JSON.parse(called.toolCalls?.[0]?.arguments ?? '')).toEqual({
      word: expect.any(String) as unknown,
      count: expect.any(Number) as unknown,
    });
    const events = await collectChatStream(proxy.client, {
      model: 'remote-random',
      messages: ask('Count.'),
      maxTokens: 40,
      tools,
      toolChoice: { name: 'count_words' },
    });
    const types = events.map((event) => event.data.type);
    expect(types).toContain('tool-call-start');
    expect(types).toContain('tool-call-delta');
    const end = events.find((event) => event.data.type === 'tool-call-end')?.data;
    expect(end).toMatchObject({ name: 'count_words' });
    expect(JSON.parse(String(end?.arguments))).toEqual({
      word: expect.any(String) as unknown,
      count: expect.any(Number) as unknown,
    });
    expect(events.at(-1)?.data).toMatchObject({ type: 'end', finishReason: 'tool_calls' });
    const scored = await proxy.client.chat.complete.mutate({
      model: 'remote-chat',
      messages: ask('What does kitten mean?'),
      logprobs: true,
      topLogprobs: 2,
    });
    expect(scored.logprobs?.map((entry) => entry.token).join('')).toBe(scored.text);
    expect(scored.logprobs?.[0]?.topLogprobs).toHaveLength(2);
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
