import { createClient, type RouterInputs } from '@mlrpc/client';
import { repeat } from './statistics.js';

/** The schema the benchmark constrains to: nested object, enum, bounded numbers, an array. */
export const benchSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    age: { type: 'integer', minimum: 0, maximum: 120 },
    role: { enum: ['admin', 'editor', 'viewer'] },
    tags: { type: 'array', items: { type: 'string' } },
    address: {
      type: 'object',
      properties: { city: { type: 'string' }, zip: { type: ['string', 'null'] } },
      required: ['city', 'zip'],
    },
  },
  required: ['name', 'age', 'role', 'tags', 'address'],
};

/** Structure more than text: objects of numbers, enums and booleans, one after another. */
export const benchRecordsSchema = {
  type: 'array',
  items: {
    type: 'object',
    properties: {
      id: { type: 'integer', minimum: 0, maximum: 100000 },
      kind: { enum: ['alpha', 'beta', 'gamma'] },
      score: { type: 'number' },
      ok: { type: 'boolean' },
    },
    required: ['id', 'kind', 'score', 'ok'],
  },
  minItems: 3,
};

export const constrainedModes = [
  'free text',
  'JSON schema (text fields)',
  'JSON schema (records)',
] as const;
export type ConstrainedMode = (typeof constrainedModes)[number];

const formats: Record<ConstrainedMode, RouterInputs['chat']['complete']['responseFormat']> = {
  'free text': undefined,
  'JSON schema (text fields)': { type: 'json-schema', schema: benchSchema },
  'JSON schema (records)': { type: 'json-schema', schema: benchRecordsSchema },
};

export interface ConstrainedRun {
  /** Tokens after the first, per second of decoding after the first text. */
  tokensPerSecond: number;
  ttftMs: number;
  tokens: number;
}

/**
 * One lone generation (llama-random, greedy, up to `maxTokens`) streamed with and without a
 * JSON constraint: decoding tokens/s after the first text (what the logits mask, the token
 * search and the budget guard cost per token) and time to first text. The first call of a
 * mode is timed apart: a model's first constrained call builds its token vocabulary.
 */
export async function constrainedGeneration(
  url: string,
  mode: ConstrainedMode,
  maxTokens: number,
  runs: number,
): Promise<{ runs: ConstrainedRun[]; firstCallMs: number }> {
  const client = createClient({ url });
  const once = async (): Promise<ConstrainedRun> => {
    const started = performance.now();
    let first: number | undefined;
    let tokens = 0;
    for await (const event of client.chatStream({
      model: 'llama-random',
      messages: [{ role: 'user', content: 'Describe a user.' }],
      maxTokens,
      responseFormat: formats[mode],
    })) {
      if (event.type === 'delta') first ??= performance.now();
      if (event.type === 'end') tokens = event.usage.completionTokens;
    }
    const ended = performance.now();
    const firstAt = first ?? ended;
    return {
      tokensPerSecond: (tokens - 1) / ((ended - firstAt) / 1000),
      ttftMs: firstAt - started,
      tokens,
    };
  };
  const startedFirst = performance.now();
  await once();
  const firstCallMs = performance.now() - startedFirst;
  return { runs: await repeat(runs, once), firstCallMs };
}
