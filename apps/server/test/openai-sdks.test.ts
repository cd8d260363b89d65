import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { tool as langchainTool } from '@langchain/core/tools';
import { ChatOpenAI, OpenAIEmbeddings } from '@langchain/openai';
import { embedMany, generateObject, generateText, jsonSchema, streamText, tool } from 'ai';
import OpenAI from 'openai';
import { zodFunction, zodResponseFormat } from 'openai/helpers/zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startTestServer, type TestServer } from './support/test-server.js';

let harness: TestServer;
let openai: OpenAI;
beforeAll(async () => {
  harness = await startTestServer();
  openai = new OpenAI({ baseURL: `${harness.url}/v1`, apiKey: 'none', maxRetries: 0 });
});
afterAll(() => harness.close());

/** What users ask for: nested objects, bounded numbers, enums, arrays, optional fields. */
const person = z.object({
  name: z.string().max(40),
  age: z.number().int().min(0).max(120),
  role: z.enum(['admin', 'editor', 'viewer']),
  tags: z.array(z.string().max(12)).max(3),
  address: z.object({ city: z.string().max(20), zip: z.string().nullable() }),
});

const weather = z.object({ city: z.string().max(30), unit: z.enum(['celsius', 'fahrenheit']) });

/** Both local chat models: one trained (wordnet-chat), one of random weights. */
const chatModels = ['wordnet-chat', 'llama-random'] as const;

describe('structured outputs through the official openai client', () => {
  for (const model of chatModels) {
    it(`.parse() with a zod schema gives a parsed object that validates (${model})`, async () => {
      const completion = await openai.chat.completions.parse({
        model,
        messages: [{ role: 'user', content: 'Describe a user of the system.' }],
        response_format: zodResponseFormat(person, 'person'),
        max_tokens: 120,
      });
      const message = completion.choices[0]?.message;
      expect(person.parse(message?.parsed)).toEqual(message?.parsed);
      expect(completion.choices[0]?.finish_reason).toBe('stop');
    });
  }

  it('json_object mode gives a JSON object, streamed too', async () => {
    const stream = await openai.chat.completions.create({
      model: 'llama-random',
      messages: [{ role: 'user', content: 'Reply in JSON.' }],
      response_format: { type: 'json_object' },
      max_tokens: 40,
      stream: true,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    const value: unknown = JSON.parse(text);
    expect(typeof value === 'object' && value !== null && !Array.isArray(value)).toBe(true);
  });

  it('refuses a schema keyword it cannot enforce, naming it and the field', async () => {
    const error = await openai.chat.completions
      .create({
        model: 'llama-random',
        messages: [{ role: 'user', content: 'x' }],
        response_format: {
          type: 'json_schema',
          json_schema: {
            name: 'x',
            schema: { type: 'object', properties: { id: { type: 'string', pattern: '^a' } } },
          },
        },
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    const failure = error as InstanceType<typeof OpenAI.APIError>;
    expect(failure.code).toBe('INVALID_INPUT');
    expect(failure.param).toBe('response_format');
    expect(failure.message).toMatch(/properties\.id: "pattern" cannot be enforced/);
  });
});

describe('tool calls through the official openai client', () => {
  const tools = [
    zodFunction({ name: 'get_weather', parameters: weather, description: 'Weather in a city' }),
  ];

  it('a required call comes back valid, whole and streamed as tool_calls deltas', async () => {
    const completion = await openai.chat.completions.parse({
      model: 'llama-random',
      messages: [{ role: 'user', content: 'What is the weather in Paris?' }],
      tools,
      tool_choice: 'required',
      max_tokens: 60,
    });
    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message.content).toBeNull();
    const call = choice?.message.tool_calls?.[0];
    expect(call?.type === 'function' && call.function.name).toBe('get_weather');
    if (call?.type === 'function')
      expect(weather.parse(call.function.parsed_arguments)).toBeTruthy();

    const stream = openai.chat.completions.stream({
      model: 'llama-random',
      messages: [{ role: 'user', content: 'And in Oslo?' }],
      tools,
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      max_tokens: 60,
    });
    let deltas = 0;
    stream.on('chunk', (chunk) => {
      if (chunk.choices[0]?.delta.tool_calls) deltas += 1;
    });
    const final = await stream.finalChatCompletion();
    const streamed = final.choices[0]?.message.tool_calls?.[0];
    expect(deltas).toBeGreaterThan(2);
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
    expect(
      weather.parse(JSON.parse(streamed?.type === 'function' ? streamed.function.arguments : '')),
    ).toBeTruthy();
  });

  it('a full round trip: call, tool result, answer', async () => {
    const question = { role: 'user' as const, content: 'What does kitten mean?' };
    const first = await openai.chat.completions.create({
      model: 'wordnet-chat',
      messages: [question],
      tools: [
        {
          type: 'function',
          function: {
            name: 'lookup',
            parameters: {
              type: 'object',
              properties: { word: { type: 'string', maxLength: 20 } },
              required: ['word'],
            },
          },
        },
      ],
      tool_choice: 'required',
      parallel_tool_calls: false,
      max_tokens: 40,
    });
    const calls = first.choices[0]?.message.tool_calls ?? [];
    expect(calls).toHaveLength(1);
    const call = calls[0] as OpenAI.Chat.Completions.ChatCompletionMessageFunctionToolCall;
    expect(JSON.parse(call.function.arguments)).toEqual({ word: expect.any(String) as unknown });
    const answer = await openai.chat.completions.create({
      model: 'wordnet-chat',
      messages: [
        question,
        { role: 'assistant', content: null, tool_calls: calls },
        { role: 'tool', tool_call_id: call.id, content: 'kitten: young domestic cat' },
      ],
      max_tokens: 40,
    });
    expect(answer.choices[0]?.finish_reason).toMatch(/stop|length/);
    expect(answer.choices[0]?.message.content?.length).toBeGreaterThan(0);
    expect(answer.choices[0]?.message.tool_calls).toBeUndefined();
  });
});

describe('logprobs and request shapes OpenAI accepts', () => {
  it('gives logprobs and top_logprobs, whole and streamed, that agree with greedy picks', async () => {
    const request = {
      model: 'wordnet-chat',
      messages: [{ role: 'user' as const, content: 'What does kitten mean?' }],
      logprobs: true,
      top_logprobs: 3,
    };
    const whole = await openai.chat.completions.create(request);
    const content = whole.choices[0]?.logprobs?.content ?? [];
    expect(content.map((entry) => entry.token).join('')).toBe('Young domestic cat.');
    for (const entry of content) {
      expect(entry.top_logprobs).toHaveLength(3);
      // Greedy decoding takes the most likely token: it heads its own alternatives.
      expect(entry.top_logprobs[0]?.token).toBe(entry.token);
      expect(entry.logprob).toBeLessThanOrEqual(0);
    }
    const stream = await openai.chat.completions.create({ ...request, stream: true });
    const streamed: string[] = [];
    for await (const chunk of stream) {
      for (const entry of chunk.choices[0]?.logprobs?.content ?? []) streamed.push(entry.token);
    }
    expect(streamed.join('')).toBe('Young domestic cat.');
  });

  it('takes content parts, developer and named messages, any integer seed and n choices', async () => {
    const completion = await openai.chat.completions.create({
      model: 'wordnet-chat',
      messages: [
        { role: 'developer', content: 'Answer briefly.' },
        {
          role: 'user',
          name: 'ana',
          content: [
            { type: 'text', text: 'What does ' },
            { type: 'text', text: 'kitten mean?' },
          ],
        },
      ],
      seed: -12_345_678_901,
      temperature: 0.7,
      n: 3,
      max_completion_tokens: 12,
    });
    expect(completion.choices.map((choice) => choice.index)).toEqual([0, 1, 2]);
    for (const choice of completion.choices)
      expect(choice.message.content?.length).toBeGreaterThan(0);
    expect(completion.usage?.completion_tokens).toBeGreaterThanOrEqual(3);

    const image = await openai.chat.completions
      .create({
        model: 'wordnet-chat',
        messages: [
          {
            role: 'user',
            content: [{ type: 'image_url', image_url: { url: 'https://example.invalid/a.png' } }],
          },
        ],
      })
      .catch((caught: unknown) => caught as InstanceType<typeof OpenAI.APIError>);
    expect(image).toBeInstanceOf(OpenAI.BadRequestError);
    expect((image as InstanceType<typeof OpenAI.APIError>).message).toMatch(
      /messages\.0\.content\.0: image_url parts are not supported/,
    );
  });

  it('reads validation errors like /trpc, with param naming the field', async () => {
    const error = await openai.embeddings
      .create({ model: 'wordnet-minilm', input: ['fine', ' '] })
      .catch((caught: unknown) => caught as InstanceType<typeof OpenAI.APIError>);
    expect(error).toMatchObject({ status: 400, code: 'INVALID_INPUT', param: 'input.1' });
    expect((error as Error).message).toMatch(/input\.1: text must not be blank/);
    const tooMany = await openai.chat.completions
      .create({
        model: 'wordnet-chat',
        messages: [{ role: 'user', content: 'x' }],
        max_tokens: 1_000_000,
      })
      .catch((caught: unknown) => caught as InstanceType<typeof OpenAI.APIError>);
    expect(tooMany).toMatchObject({ status: 400, param: 'max_tokens' });
    expect((tooMany as Error).message).not.toMatch(/\{|\[/);
    const unknown = await openai.models
      .retrieve('no-such-model')
      .catch((caught: unknown) => caught);
    expect(unknown).toMatchObject({ status: 404, code: 'MODEL_NOT_FOUND' });
  });

  it('legacy completions continue a raw prompt, whole and streamed', async () => {
    const whole = await openai.completions.create({
      model: 'llama-random',
      prompt: 'Once upon a time',
      max_tokens: 8,
      temperature: 0,
    });
    expect(whole.object).toBe('text_completion');
    expect(whole.choices[0]?.finish_reason).toBe('length');
    expect(whole.usage?.completion_tokens).toBe(8);
    const stream = await openai.completions.create({
      model: 'llama-random',
      prompt: 'Once upon a time',
      max_tokens: 8,
      temperature: 0,
      stream: true,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.text ?? '';
    expect(text).toBe(whole.choices[0]?.text);
  });
});

describe('embeddings as SDKs send them', () => {
  it('embeds 3,000 values with embedMany and truncates to dimensions: 32', async () => {
    const provider = createOpenAICompatible({ name: 'mlrpc', baseURL: `${harness.url}/v1` });
    const values = Array.from({ length: 3_000 }, (_, index) => `text number ${index}`);
    const { embeddings } = await embedMany({
      model: provider.textEmbeddingModel('wordnet-minilm'),
      values,
    });
    expect(embeddings).toHaveLength(3_000);
    expect(embeddings[2_999]).toHaveLength(96);
    const short = await openai.embeddings.create({
      model: 'wordnet-minilm',
      input: ['kitten', 'cat'],
      dimensions: 32,
      encoding_format: 'float',
    });
    for (const item of short.data) {
      expect(item.embedding).toHaveLength(32);
      expect(Math.hypot(...item.embedding)).toBeCloseTo(1, 5);
    }
    const full = await openai.embeddings.create({
      model: 'wordnet-minilm',
      input: 'kitten',
      encoding_format: 'float',
    });
    // Truncated = the full vector's first 32 values, re-normalized.
    const head = (full.data[0]?.embedding ?? []).slice(0, 32);
    const norm = Math.hypot(...head);
    short.data[0]?.embedding.forEach((value, index) =>
      expect(value).toBeCloseTo((head[index] ?? 0) / norm, 5),
    );
    const tooWide = await openai.embeddings
      .create({ model: 'wordnet-minilm', input: 'x', dimensions: 512 })
      .catch((caught: unknown) => caught);
    expect(tooWide).toMatchObject({ status: 400, param: 'dimensions' });
    const tokenIds = await openai.embeddings
      .create({ model: 'wordnet-minilm', input: [[101, 2003]] })
      .catch((caught: unknown) => caught as Error);
    expect((tokenIds as Error).message).toMatch(/token ids are not accepted/);
  });

  it("LangChain's embedDocuments sends 512 a call and gets them all", async () => {
    const embeddings = new OpenAIEmbeddings({
      model: 'wordnet-minilm',
      apiKey: 'none',
      configuration: { baseURL: `${harness.url}/v1` },
    });
    const vectors = await embeddings.embedDocuments(
      Array.from({ length: 600 }, (_, index) => `doc ${index}`),
    );
    expect(vectors).toHaveLength(600);
  });
});

describe('Vercel AI SDK', () => {
  const provider = () =>
    createOpenAICompatible({
      name: 'mlrpc',
      baseURL: `${harness.url}/v1`,
      supportsStructuredOutputs: true,
    });

  it('generateObject returns an object that validates, from a random-weight model too', async () => {
    for (const model of chatModels) {
      const { object } = await generateObject({
        model: provider().chatModel(model),
        schema: person,
        prompt: 'A user.',
        maxOutputTokens: 120,
      });
      expect(person.parse(object)).toEqual(object);
    }
  });

  it('calls a tool the model must call, with valid input', async () => {
    const result = await generateText({
      model: provider().chatModel('llama-random'),
      prompt: 'Weather in Paris?',
      tools: { get_weather: tool({ description: 'Weather in a city', inputSchema: weather }) },
      toolChoice: 'required',
      maxOutputTokens: 60,
    });
    expect(result.finishReason).toBe('tool-calls');
    expect(weather.parse(result.toolCalls[0]?.input)).toBeTruthy();
    const streamed = streamText({
      model: provider().chatModel('llama-random'),
      prompt: 'Weather in Oslo?',
      tools: {
        get_weather: tool({
          inputSchema: jsonSchema<{ city: string }>({
            type: 'object',
            properties: { city: { type: 'string', maxLength: 10 } },
            required: ['city'],
          }),
        }),
      },
      toolChoice: { type: 'tool', toolName: 'get_weather' },
      maxOutputTokens: 40,
    });
    const calls = await streamed.toolCalls;
    expect(calls[0]?.toolName).toBe('get_weather');
    expect(typeof (calls[0]?.input as { city?: unknown }).city).toBe('string');
  });
});

describe('LangChain', () => {
  const chat = (model: string) =>
    new ChatOpenAI({
      model,
      apiKey: 'none',
      maxTokens: 100,
      temperature: 0,
      configuration: { baseURL: `${harness.url}/v1` },
    });

  for (const method of ['jsonSchema', 'functionCalling'] as const) {
    it(`withStructuredOutput (${method}) returns an object that validates, from llama-random too`, async () => {
      for (const model of chatModels) {
        const structured = chat(model).withStructuredOutput(person, { method, name: 'person' });
        const value = await structured.invoke('Describe a user.');
        expect(person.parse(value)).toEqual(value);
      }
    });
  }

  it('withStructuredOutput (jsonMode) returns a JSON object: the mode promises an object, not a schema', async () => {
    const anyObject = z.record(z.string(), z.unknown());
    const value = await chat('llama-random')
      .withStructuredOutput(anyObject, { method: 'jsonMode' })
      .invoke('Reply in JSON.');
    expect(anyObject.parse(value)).toEqual(value);
  });

  it('bindTools gives tool calls whose args validate', async () => {
    const getWeather = langchainTool(() => Promise.resolve('sunny'), {
      name: 'get_weather',
      description: 'Weather in a city',
      schema: weather,
    });
    const message = await chat('llama-random')
      .bindTools([getWeather], { tool_choice: 'any' })
      .invoke('Weather in Paris?');
    expect(message.tool_calls?.[0]?.name).toBe('get_weather');
    expect(weather.parse(message.tool_calls?.[0]?.args)).toBeTruthy();
  });
});
