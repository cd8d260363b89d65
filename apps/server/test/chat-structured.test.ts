import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectChatStream } from './support/collect-stream.js';
import { expectApiError } from './support/expect-api-error.js';
import { startTestServer, type TestServer } from './support/test-server.js';

let harness: TestServer;
beforeAll(async () => {
  harness = await startTestServer();
});
afterAll(() => harness.close());

const order = {
  type: 'object',
  properties: {
    item: { type: 'string', enum: ['tea', 'coffee', 'juice'] },
    quantity: { type: 'integer', minimum: 1, maximum: 12 },
    notes: { type: ['string', 'null'], maxLength: 30 },
    extras: { type: 'array', items: { type: 'string', maxLength: 10 }, maxItems: 2 },
    price: { type: 'number', exclusiveMinimum: 0, maximum: 100 },
  },
  required: ['item', 'quantity', 'notes', 'price'],
  additionalProperties: false,
};
const validate = new Ajv({ strict: false }).compile(order);
const ask = (content: string) => [{ role: 'user' as const, content }];

describe('structured output through the typed client', () => {
  it('chat.complete gives JSON valid against the schema, for every seed of a random model', async () => {
    for (let seed = 1; seed <= 8; seed += 1) {
      const result = await harness.client.chat.complete.mutate({
        model: 'llama-random',
        messages: ask('An order, please.'),
        responseFormat: { type: 'json-schema', schema: order },
        temperature: 1,
        seed,
        maxTokens: 60,
      });
      const value: unknown = JSON.parse(result.text);
      expect(validate(value), result.text).toBe(true);
    }
  });

  it('chat.stream streams the same JSON the whole call gives, and jobs take a schema too', async () => {
    const input = {
      model: 'wordnet-chat',
      messages: ask('An order, please.'),
      responseFormat: { type: 'json-schema' as const, schema: order },
      maxTokens: 60,
    };
    const whole = await harness.client.chat.complete.mutate(input);
    const events = await collectChatStream(harness.client, input);
    const streamed = events
      .map((event) => (event.data.type === 'delta' ? event.data.text : ''))
      .join('');
    expect(streamed).toBe(whole.text);
    expect(validate(JSON.parse(streamed))).toBe(true);
    const job = await harness.client.jobs.submit.mutate({ kind: 'chat', input });
    await expect
      .poll(async () => (await harness.client.jobs.get.query({ jobId: job.id })).status)
      .toBe('completed');
    const done = await harness.client.jobs.get.query({ jobId: job.id });
    expect(done.result).toMatchObject({ text: whole.text });
  });

  it('streams a required tool call as start, argument deltas and end events', async () => {
    const events = await collectChatStream(harness.client, {
      model: 'llama-random',
      messages: ask('Order tea.'),
      tools: [{ name: 'place_order', description: 'Places an order', parameters: order }],
      toolChoice: 'required',
      maxTokens: 80,
    });
    const types = events.map((event) => event.data.type);
    expect(types[0]).toBe('start');
    expect(types).not.toContain('delta');
    const ends = events
      .filter((event) => event.data.type === 'tool-call-end')
      .map((event) => event.data);
    expect(ends.length).toBeGreaterThanOrEqual(1);
    for (const end of ends) {
      expect(end.name).toBe('place_order');
      expect(String(end.id)).toMatch(/^call_/);
      expect(validate(JSON.parse(String(end.arguments)))).toBe(true);
      const deltas = events
        .filter((event) => event.data.type === 'tool-call-delta' && event.data.index === end.index)
        .map((event) => String(event.data.arguments));
      expect(deltas.join('')).toBe(end.arguments);
    }
    expect(events.at(-1)?.data).toMatchObject({ type: 'end', finishReason: 'tool_calls' });
  });

  it('with tool choice auto, a model that answers in words gives text, not a call', async () => {
    const result = await harness.client.chat.complete.mutate({
      model: 'wordnet-chat',
      messages: ask('What does kitten mean?'),
      tools: [{ name: 'place_order', parameters: order }],
    });
    expect(result.finishReason).toBe('stop');
    expect(result.toolCalls).toBeUndefined();
    expect(result.text.length).toBeGreaterThan(0);
  });

  it('refuses what it cannot enforce before generating, naming the keyword and where', async () => {
    await expectApiError(
      harness.client.chat.complete.mutate({
        model: 'llama-random',
        messages: ask('x'),
        tools: [
          {
            name: 'f',
            parameters: { type: 'object', properties: { id: { type: 'string', pattern: 'a+' } } },
          },
        ],
        toolChoice: 'required',
      }),
      {
        code: 'BAD_REQUEST',
        httpStatus: 400,
        errorCode: 'INVALID_INPUT',
        message: /tools\.0\.parameters \(f\) at \.properties\.id: "pattern" cannot be enforced/,
      },
    );
    await expectApiError(
      harness.client.chat.complete.mutate({
        model: 'llama-random',
        messages: ask('x'),
        maxTokens: 3,
        responseFormat: { type: 'json-schema', schema: order },
      }),
      {
        code: 'BAD_REQUEST',
        httpStatus: 400,
        errorCode: 'INVALID_INPUT',
        message: /maxTokens 3 is too few for the response schema/,
      },
    );
    await expectApiError(
      harness.client.chat.complete.mutate({
        model: 'llama-random',
        messages: ask('x'),
        toolChoice: { name: 'nope' },
        tools: [{ name: 'f' }],
      }),
      {
        code: 'BAD_REQUEST',
        httpStatus: 400,
        errorCode: 'INVALID_INPUT',
        message: /toolChoice\.name: no tool is named "nope"/,
      },
    );
  });

  it('reports logprobs for each token, the chosen one first among its alternatives under greedy decoding', async () => {
    const result = await harness.client.chat.complete.mutate({
      model: 'wordnet-chat',
      messages: ask('What does kitten mean?'),
      topLogprobs: 4,
    });
    expect(result.logprobs?.map((entry) => entry.token).join('')).toBe(result.text);
    for (const entry of result.logprobs ?? []) {
      expect(entry.topLogprobs).toHaveLength(4);
      expect(entry.topLogprobs[0]?.token).toBe(entry.token);
      const probabilities = entry.topLogprobs.map((top) => Math.exp(top.logprob));
      expect(probabilities.reduce((sum, value) => sum + value, 0)).toBeLessThanOrEqual(1.000001);
    }
  });
});
