import { setMaxListeners } from 'node:events';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { AutoTokenizer, env } from '@huggingface/transformers';
import { chatStream, type ChatStreamEvent } from '@mlrpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectChatStream } from './support/collect-stream.js';
import { settledValue } from './support/settled-value.js';
import { expectApiError } from './support/expect-api-error.js';
import { sharedRoot } from './support/paths.js';
import { startTestServer, type TestServer } from './support/test-server.js';

interface EvalPrompt {
  split: 'train' | 'heldout';
  messages: Array<{ role: 'user'; content: string }>;
  answer: string;
}

let harness: TestServer;
let prompts: EvalPrompt[];
beforeAll(async () => {
  harness = await startTestServer();
  await harness.client.models.load.mutate({ id: 'llama-random' });
  const text = await readFile(path.join(sharedRoot, 'data/wordnet-chat/eval.jsonl'), 'utf8');
  prompts = text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as EvalPrompt);
});
afterAll(() => harness.close());

const ask = (content: string) => [{ role: 'user' as const, content }];
const stats = async (id: string) =>
  (await harness.client.models.get.query({ id })).models[0]?.stats;

describe('chat.complete', () => {
  it('answers the dictionary questions it was trained on, stopping at end of sequence', async () => {
    const train = prompts.filter((prompt) => prompt.split === 'train').slice(0, 12);
    const results = await Promise.all(
      train.map((prompt) => harness.client.chat.complete.mutate({ messages: prompt.messages })),
    );
    const exact = results.filter((result, index) => result.text === train[index]?.answer).length;
    expect(exact).toBeGreaterThanOrEqual(11);
    for (const result of results) {
      expect(result).toMatchObject({ model: 'wordnet-chat', version: '1', finishReason: 'stop' });
      expect(result.ttftMs).toBeGreaterThan(0);
      expect(result.tokensPerSecond).toBeGreaterThan(0);
    }
  });

  it('counts usage as the tokenizer does', async () => {
    env.localModelPath = `${path.join(sharedRoot, 'models')}/`;
    env.allowRemoteModels = false;
    const tokenizer = await AutoTokenizer.from_pretrained('local/wordnet-chat-tiny');
    const messages = ask('What does kitten mean?');
    const result = await harness.client.chat.complete.mutate({ messages });
    expect(result.text).toBe('Young domestic cat.');
    const prompt = tokenizer.apply_chat_template(messages, {
      add_generation_prompt: true,
      tokenize: true,
      return_tensor: false,
    });
    expect(result.usage.promptTokens).toBe(
      (prompt as unknown as { input_ids: number[] }).input_ids.length,
    );
    // The generated answer plus the end-of-sequence token.
    const answer = tokenizer.encode(result.text, { add_special_tokens: false });
    expect(result.usage.completionTokens).toBe(answer.length + 1);
  });

  it('honours maxTokens and stop sequences exactly', async () => {
    const long = await harness.client.chat.complete.mutate({
      model: 'llama-random',
      messages: ask('Tell me a story.'),
      maxTokens: 9,
    });
    expect(long).toMatchObject({ finishReason: 'length', usage: { completionTokens: 9 } });
    const stopped = await harness.client.chat.complete.mutate({
      messages: ask('What does kitten mean?'),
      stop: ['cat', 'dog'],
    });
    expect(stopped).toMatchObject({ text: 'Young domestic ', finishReason: 'stop' });
  });

  it('refuses blank prompts and out-of-range settings with INVALID_INPUT', async () => {
    const invalid = { code: 'BAD_REQUEST', httpStatus: 400, errorCode: 'INVALID_INPUT' };
    await expectApiError(harness.client.chat.complete.mutate({ messages: ask('   ') }), invalid);
    await expectApiError(
      harness.client.chat.complete.mutate({ messages: ask('hi'), maxTokens: 5000 }),
      invalid,
    );
    await expectApiError(
      harness.client.chat.complete.mutate({ messages: ask('hi'), stop: ['a', 'b', 'c', 'd', 'e'] }),
      invalid,
    );
    await expectApiError(
      harness.client.chat.complete.mutate({ messages: ask('hi'), stop: ['x'.repeat(21)] }),
      invalid,
    );
  });
});

describe('chat.stream', () => {
  it('streams start, deltas as they are generated, and end, with increasing event ids', async () => {
    const messages = ask('What does teacher mean?');
    const [events, whole] = await Promise.all([
      collectChatStream(harness.client, { messages }),
      harness.client.chat.complete.mutate({ messages }),
    ]);
    const types = events.map((event) => event.data.type);
    expect(types[0]).toBe('start');
    expect(types.at(-1)).toBe('end');
    const deltas = events.filter((event) => event.data.type === 'delta');
    expect(deltas.length).toBeGreaterThanOrEqual(3);
    expect(deltas.map((event) => event.data.text).join('')).toBe(whole.text);
    const first = deltas[0]?.receivedAt ?? 0;
    const last = events.at(-1)?.receivedAt ?? 0;
    expect(last - first).toBeGreaterThan(0);
    expect(events.at(-1)?.data).toMatchObject({ finishReason: 'stop', usage: whole.usage });
    const sequence = events.map((event) => Number(event.id.split(':')[1]));
    expect(sequence).toEqual(sequence.map((_, index) => index));
    expect(new Set(events.map((event) => event.id.split(':')[0])).size).toBe(1);
  });

  it('stops generating in the worker when the client unsubscribes', async () => {
    const before = (await stats('llama-random'))?.generatedTokens ?? 0;
    const events = await collectChatStream(
      harness.client,
      { model: 'llama-random', messages: ask('Write a very long essay.'), maxTokens: 4000 },
      { stopAfterDeltas: 3 },
    );
    expect(events.filter((event) => event.data.type === 'delta')).toHaveLength(3);
    const settled = await settledValue(
      async () => (await stats('llama-random'))?.generatedTokens ?? 0,
    );
    const later = await stats('llama-random');
    expect(later?.generatedTokens).toBe(settled);
    expect(settled - before).toBeLessThan(400);
    expect(later?.cancelled).toBeGreaterThanOrEqual(1);
  });

  it('runs 8 generations at once, queues 32 more, and refuses the next with QUEUE_FULL', async () => {
    const long = { model: 'llama-random', messages: ask('Go on and on.'), maxTokens: 4000 };
    const controller = new AbortController();
    // Forty calls share one signal, by design: not a listener leak.
    setMaxListeners(0, controller.signal);
    const calls = Array.from({ length: 40 }, () =>
      harness.client.chat.complete.mutate(long, { signal: controller.signal }).catch(() => 'ended'),
    );
    // Eight decode together in the model's worker; the other 32 wait in its bounded queue.
    await expect
      .poll(
        async () =>
          (await harness.client.models.get.query({ id: 'llama-random' })).models[0]?.queueDepth,
      )
      .toBe(32);
    const refused = await expectApiError(harness.client.chat.complete.mutate(long), {
      code: 'TOO_MANY_REQUESTS',
      httpStatus: 429,
      errorCode: 'QUEUE_FULL',
    });
    expect(refused.data?.retryAfterSeconds).toBeGreaterThan(0);
    // Streams are refused the same way, before their first byte: a status and Retry-After a
    // proxy or SDK can act on, not a 200 and then an error event.
    const input = encodeURIComponent(JSON.stringify({ json: long }));
    const stream = await fetch(`${harness.url}/trpc/chat.stream?input=${input}`, {
      headers: { accept: 'text/event-stream' },
    });
    expect(stream.status).toBe(429);
    expect(Number(stream.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await stream.text()).toMatch(/QUEUE_FULL/);
    const openAI = await fetch(`${harness.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'llama-random',
        messages: long.messages,
        max_tokens: 4000,
        stream: true,
      }),
    });
    expect(openAI.status).toBe(429);
    expect(Number(openAI.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(openAI.headers.get('content-type')).toMatch(/application\/json/);
    expect(await openAI.json()).toMatchObject({ error: { code: 'QUEUE_FULL' } });
    controller.abort();
    expect(await Promise.all(calls)).toEqual(new Array(40).fill('ended'));
  });
});

describe('chatStream (client helper)', () => {
  it('iterates the events with for await', async () => {
    const text: string[] = [];
    let end: ChatStreamEvent | undefined;
    for await (const event of chatStream(harness.client, {
      messages: ask('What does kitten mean?'),
    })) {
      if (event.type === 'delta') text.push(event.text);
      if (event.type === 'end') end = event;
    }
    expect(text.join('')).toBe('Young domestic cat.');
    expect(end).toMatchObject({ finishReason: 'stop' });
  });

  it('stops the generation when its signal aborts', async () => {
    const before = (await stats('llama-random'))?.generatedTokens ?? 0;
    const controller = new AbortController();
    let deltas = 0;
    // The same helper as a method of the client.
    for await (const event of harness.client.chatStream(
      { model: 'llama-random', messages: ask('Ramble on.'), maxTokens: 4000 },
      { signal: controller.signal },
    )) {
      if (event.type === 'delta' && ++deltas === 2) controller.abort();
    }
    expect(deltas).toBe(2);
    const settled = await settledValue(
      async () => (await stats('llama-random'))?.generatedTokens ?? 0,
    );
    expect((await stats('llama-random'))?.generatedTokens).toBe(settled);
    expect(settled - before).toBeLessThan(400);
  });
});

describe('seeded sampling', () => {
  it('gives the same text for the same seed, and other text for another seed', async () => {
    const sample = (seed: number) =>
      harness.client.chat.complete.mutate({
        model: 'llama-random',
        messages: ask('Surprise me.'),
        maxTokens: 24,
        temperature: 1.5,
        seed,
      });
    const [first, again, other] = [await sample(7), await sample(7), await sample(8)];
    expect(again.text).toBe(first.text);
    expect(other.text).not.toBe(first.text);
  });
});
