import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/test-server.js';

let harness: TestServer;
let openai: OpenAI;
beforeAll(async () => {
  harness = await startTestServer();
  openai = new OpenAI({ baseURL: `${harness.url}/v1`, apiKey: 'not-needed-yet', maxRetries: 0 });
});
afterAll(() => harness.close());

const kitten = [{ role: 'user' as const, content: 'What does kitten mean?' }];

describe('OpenAI-compatible API, through the official openai client', () => {
  it('lists the models', async () => {
    const ids = [];
    for await (const model of openai.models.list()) ids.push(model.id);
    expect(ids).toEqual(expect.arrayContaining(['wordnet-chat', 'llama-random', 'wordnet-minilm']));
  });

  it('completes a chat without streaming', async () => {
    const completion = await openai.chat.completions.create({
      model: 'wordnet-chat',
      messages: kitten,
    });
    expect(completion.choices[0]?.message).toMatchObject({
      role: 'assistant',
      content: 'Young domestic cat.',
    });
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.usage).toMatchObject({
      completion_tokens: 5,
      total_tokens: (completion.usage?.prompt_tokens ?? 0) + 5,
    });
    expect(completion.id).toMatch(/^chatcmpl-/);
  });

  it('streams chunks, ending with the finish reason, usage and [DONE]', async () => {
    const stream = await openai.chat.completions.create({
      model: 'wordnet-chat',
      messages: [{ role: 'user', content: 'What does teacher mean?' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const pieces: string[] = [];
    const finishReasons: Array<string | null | undefined> = [];
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      pieces.push(chunk.choices[0]?.delta.content ?? '');
      finishReasons.push(chunk.choices[0]?.finish_reason);
      usage = chunk.usage ?? usage;
    }
    expect(pieces.join('')).toBe('A person whose occupation is teaching.');
    expect(pieces.filter(Boolean).length).toBeGreaterThanOrEqual(3);
    expect(finishReasons.filter(Boolean)).toEqual(['stop']);
    expect(usage?.completion_tokens).toBeGreaterThan(0);
  });

  it('honours max_tokens and stop', async () => {
    const long = await openai.chat.completions.create({
      model: 'llama-random',
      messages: [{ role: 'user', content: 'Go on.' }],
      max_tokens: 6,
    });
    expect(long.choices[0]?.finish_reason).toBe('length');
    expect(long.usage?.completion_tokens).toBe(6);
    const stopped = await openai.chat.completions.create({
      model: 'wordnet-chat',
      messages: kitten,
      stop: 'cat',
    });
    expect(stopped.choices[0]?.message.content).toBe('Young domestic ');
  });

  it('answers errors in OpenAI shape with our code', async () => {
    const missing = await openai.chat.completions
      .create({ model: 'no-such-model', messages: kitten })
      .catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(OpenAI.NotFoundError);
    expect((missing as InstanceType<typeof OpenAI.APIError>).code).toBe('MODEL_NOT_FOUND');
    const blank = await openai.chat.completions
      .create({ model: 'wordnet-chat', messages: [{ role: 'user', content: ' ' }] })
      .catch((error: unknown) => error);
    expect(blank).toBeInstanceOf(OpenAI.BadRequestError);
    expect((blank as InstanceType<typeof OpenAI.APIError>).code).toBe('INVALID_INPUT');
    const wrongTask = await openai.chat.completions
      .create({ model: 'wordnet-minilm', messages: kitten })
      .catch((error: unknown) => error);
    expect((wrongTask as InstanceType<typeof OpenAI.APIError>).code).toBe('TASK_MISMATCH');
  });
});

describe('OpenAI-compatible embeddings', () => {
  it('embeds one text or many, as floats or base64, with token usage', async () => {
    const many = await openai.embeddings.create({
      model: 'wordnet-minilm',
      input: ['a doctor treats patients', 'kitten'],
      encoding_format: 'float',
    });
    expect(many.data.map((item) => item.index)).toEqual([0, 1]);
    expect(many.data[0]?.embedding).toHaveLength(96);
    // [CLS] + 4 word pieces + [SEP], and [CLS] kitten [SEP].
    expect(many.usage).toEqual({ prompt_tokens: 9, total_tokens: 9 });
    const mlrpc = await harness.client.embed.mutate({ texts: ['kitten'] });
    // The openai client asks for base64 by default and decodes it back to floats.
    const one = await openai.embeddings.create({ model: 'wordnet-minilm', input: 'kitten' });
    one.data[0]?.embedding.forEach((value, index) =>
      expect(value).toBeCloseTo(mlrpc.embeddings[0]?.[index] ?? 0, 6),
    );
    expect(mlrpc.usage.promptTokens).toBe(3);
  });

  it('refuses a model of another task in OpenAI shape', async () => {
    const error = await openai.embeddings
      .create({ model: 'wordnet-chat', input: 'x' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe('TASK_MISMATCH');
  });
});
