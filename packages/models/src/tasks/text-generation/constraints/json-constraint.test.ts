import path from 'node:path';
import { AutoTokenizer, env } from '@huggingface/transformers';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { ConstraintFactory, type ConstraintSpec } from './constraint-factory.js';
import { compileJsonSchema } from './json-schema-compiler.js';
import { applyMask } from './token-masks.js';
import { buildTokenVocabulary, type TokenVocabulary } from './token-vocabulary.js';

/** A small vocabulary shaped like a BPE one: every printable character, and JSON-ish pieces. */
function toyVocabulary(): { vocabulary: TokenVocabulary; endOfSequence: number } {
  const pieces = [
    ...Array.from({ length: 95 }, (_, index) => String.fromCharCode(32 + index)),
    '{"',
    '"}',
    '":',
    '","',
    '":"',
    '"]',
    '["',
    '},{',
    '[{',
    '}]',
    '{}',
    '[]',
    '":{',
    '":[',
    'name',
    'age',
    'tags',
    'true',
    'false',
    'null',
    '12',
    '345',
    '-1',
    '0.5',
    'e+',
    ' "',
    ' {',
    'hello',
    ' world',
    '\\n',
    '\\u00',
    'é',
    '\u0001',
    'red',
    'green',
    '"red"',
    'value',
    '\n',
    'children',
    'status',
    'ok',
    'error',
    'city',
    'Paris',
    'arguments',
    'get_weather',
  ];
  const texts = ['', ...pieces];
  const vocabulary = buildTokenVocabulary(
    (ids) => ids.map((id) => texts[id] ?? '').join(''),
    texts.length,
    [1],
  );
  return { vocabulary: { ...vocabulary, size: texts.length + 1 }, endOfSequence: texts.length };
}

/** A seeded generator, so a failing walk can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 4_294_967_296;
  };
}

/**
 * Generates as a random-weight model would: random logits, masked, the best taken, the
 * constraint guarding the budget. Returns the text and the tokens used.
 */
function generate(
  factory: ConstraintFactory,
  spec: ConstraintSpec,
  maxTokens: number,
  seed: number,
  endOfSequence: number,
): { text: string; tokens: number } {
  const constraint = factory.create(spec);
  const { vocabulary } = factory;
  const next = random(seed);
  let text = '';
  for (let used = 0; used < maxTokens; used += 1) {
    const logits = Float32Array.from({ length: vocabulary.size }, () => next());
    applyMask(logits, constraint.mask());
    let best = 0;
    for (let id = 1; id < logits.length; id += 1)
      if ((logits[id] as number) > (logits[best] as number)) best = id;
    const token = constraint.choose(best, maxTokens - used);
    if (token === endOfSequence) return { text, tokens: used + 1 };
    expect(
      constraint.accept(token),
      `${text} + ${JSON.stringify(vocabulary.texts[token])} (model ${JSON.stringify(vocabulary.texts[best])}, budget ${maxTokens - used})`,
    ).toBe(true);
    text += vocabulary.texts[token];
    if (constraint.finished) return { text, tokens: used + 1 };
  }
  return { text, tokens: maxTokens };
}

const schemas: Record<string, Record<string, unknown>> = {
  person: {
    type: 'object',
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 12 },
      age: { type: 'integer' },
      tags: {
        type: 'array',
        items: { type: 'string', enum: ['red', 'green'] },
        minItems: 1,
        maxItems: 3,
      },
      status: { anyOf: [{ const: 'ok' }, { type: 'null' }, { type: 'number' }] },
    },
    required: ['name', 'age', 'tags'],
    additionalProperties: false,
  },
  nested: {
    type: 'object',
    properties: {
      value: {
        type: 'object',
        properties: { city: { type: 'string' }, ok: { type: 'boolean' } },
        required: ['city', 'ok'],
      },
      children: { type: 'array', items: { $ref: '#/$defs/leaf' }, maxItems: 2 },
    },
    required: ['value', 'children'],
    $defs: {
      leaf: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
    },
  },
  recursive: {
    $ref: '#/$defs/tree',
    $defs: {
      tree: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          children: { type: 'array', items: { $ref: '#/$defs/tree' } },
        },
        required: ['name', 'children'],
      },
    },
  },
  bounded: {
    type: 'object',
    properties: {
      safe: { type: 'integer', minimum: -9007199254740991, maximum: 9007199254740991 },
      unit: { type: 'number', minimum: 0, maximum: 5 },
      negative: { type: 'number', minimum: -7.5, maximum: -2 },
      teens: { type: 'integer', minimum: 10, maximum: 20 },
      open: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
      big: { type: 'integer', minimum: 1000 },
    },
    required: ['safe', 'unit', 'negative', 'teens', 'open', 'big'],
  },
  topLevelArray: { type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 5 },
  enumOfMixed: { enum: ['red', 12, true, null, { a: 1 }] },
  free: {},
};

describe('constrained JSON generation', () => {
  const { vocabulary, endOfSequence } = toyVocabulary();
  const factory = new ConstraintFactory(() => vocabulary, [endOfSequence]);
  const ajv = new Ajv({ strict: false });

  for (const [name, schema] of Object.entries(schemas)) {
    it(`gives JSON valid against the "${name}" schema from random logits, at any budget`, () => {
      const validate = ajv.compile(schema);
      const shortest = factory.create({ schema, optional: false }).ending()?.length ?? 0;
      // Budgets below the shortest valid reply are refused before generating (DecodingSequence).
      for (const maxTokens of [shortest, 40, 80, 400].filter((budget) => budget >= shortest)) {
        for (let seed = 1; seed <= 25; seed += 1) {
          const { text, tokens } = generate(
            factory,
            { schema, optional: false },
            maxTokens,
            seed,
            endOfSequence,
          );
          expect(tokens).toBeLessThanOrEqual(maxTokens);
          const value: unknown = JSON.parse(text);
          expect(validate(value), `${text}: ${ajv.errorsText(validate.errors)}`).toBe(true);
        }
      }
    });
  }

  it('gives a JSON object in JSON mode', () => {
    for (let seed = 1; seed <= 40; seed += 1) {
      const { text } = generate(
        factory,
        { schema: 'json-object', optional: false },
        60,
        seed,
        endOfSequence,
      );
      const value: unknown = JSON.parse(text);
      expect(typeof value === 'object' && value !== null && !Array.isArray(value), text).toBe(true);
    }
  });

  it('never offers a token that would break the document', () => {
    const constraint = factory.create({
      schema: schemas.person as Record<string, unknown>,
      optional: false,
    });
    const id = (text: string) => vocabulary.texts.indexOf(text);
    expect(constraint.allows(id('{"'))).toBe(true);
    expect(constraint.allows(id(' {'))).toBe(false);
    expect(constraint.allows(id('['))).toBe(false);
    expect(constraint.allows(endOfSequence)).toBe(false);
    expect(constraint.acceptText('{"name":"')).toBe(true);
    // Inside a string: words go, a raw control character does not.
    expect(constraint.allows(id('hello'))).toBe(true);
    expect(constraint.allows(id('\u0001'))).toBe(false);
    expect(constraint.acceptText('x","age":1')).toBe(true);
    expect(constraint.allows(id('345'))).toBe(true);
    expect(constraint.allows(id('0.5'))).toBe(false);
    expect(constraint.acceptText(',"tags":["red"]}')).toBe(true);
    expect(constraint.finished).toBe(true);
  });
});

describe('compileJsonSchema', () => {
  it('refuses keywords it cannot enforce by name', () => {
    expect(() => compileJsonSchema({ type: 'string', pattern: '^a+$' })).toThrow(
      /"pattern" cannot be enforced/,
    );
    expect(() =>
      compileJsonSchema({ type: 'object', properties: { n: { type: 'number', multipleOf: 3 } } }),
    ).toThrow(/properties\.n: "multipleOf" cannot be enforced/);
    expect(() => compileJsonSchema({ type: 'object', required: ['x'] })).toThrow(
      /required property "x" is not declared/,
    );
    expect(() => compileJsonSchema({ $ref: 'https://example.com/schema.json' })).toThrow(
      /not a local definition/,
    );
  });

  it('takes the schemas the SDKs send (zod 4 and LangChain output, with $schema and annotations)', () => {
    expect(() =>
      compileJsonSchema({
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        type: 'object',
        properties: {
          answer: { type: 'string', description: 'the answer' },
          score: { type: ['number', 'null'] },
        },
        required: ['answer', 'score'],
        additionalProperties: false,
      }),
    ).not.toThrow();
  });
});

describe('a real tokenizer', () => {
  it('builds the vocabulary of the SmolLM tokenizer with spaces and multi-character tokens', async () => {
    env.localModelPath =
      path.resolve(import.meta.dirname, '../../../../../../../shared/models') + '/';
    env.allowRemoteModels = false;
    const tokenizer = await AutoTokenizer.from_pretrained('local/wordnet-chat-tiny');
    const size = tokenizer.get_vocab().size;
    const anchor = tokenizer.encode('a', { add_special_tokens: false });
    const vocabulary = buildTokenVocabulary(
      (ids) => tokenizer.decode(ids, { skip_special_tokens: true }),
      size,
      anchor,
    );
    const ids = tokenizer.encode('{"name": "x"}', { add_special_tokens: false });
    expect(ids.map((id) => vocabulary.texts[id]).join('')).toBe('{"name": "x"}');
    const factory = new ConstraintFactory(() => vocabulary, [tokenizer.eos_token_id]);
    const validate = new Ajv({ strict: false }).compile(schemas.person as Record<string, unknown>);
    for (let seed = 1; seed <= 5; seed += 1) {
      const { text } = generate(
        factory,
        { schema: schemas.person as Record<string, unknown>, optional: false },
        48,
        seed,
        tokenizer.eos_token_id,
      );
      expect(validate(JSON.parse(text)), text).toBe(true);
    }
  });
});
