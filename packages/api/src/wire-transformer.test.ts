import fc from 'fast-check';
import superjson, { type SuperJSONResult } from 'superjson';
import { describe, expect, it } from 'vitest';
import { wireTransformer } from './wire-transformer.js';

/** Object keys; the three superjson refuses are checked on their own below. */
const reservedKeys = ['__proto__', 'constructor', 'prototype'];
const key = fc.string().filter((name) => !reservedKeys.includes(name));

/** Values as procedures return them, plus everything superjson has to annotate. */
const value = fc.letrec((tie) => ({
  leaf: fc.oneof(
    fc.string(),
    fc.boolean(),
    fc.constant(null),
    fc.double(),
    fc.integer(),
    fc.constantFrom(undefined, Number.NaN, Infinity, -Infinity, -0, 0),
    fc.date({ noInvalidDate: true }),
    fc.bigInt(),
  ),
  node: fc.oneof(
    { depthSize: 'small' },
    tie('leaf'),
    fc.array(tie('node'), { maxLength: 5 }),
    fc.dictionary(key, tie('node'), { maxKeys: 5 }),
  ),
})).node;

describe('wireTransformer', () => {
  it('serializes exactly as superjson does', () => {
    fc.assert(
      fc.property(value, (input) => {
        expect(wireTransformer.serialize(input)).toEqual(superjson.serialize(input));
        expect(JSON.stringify(wireTransformer.serialize(input))).toBe(
          JSON.stringify(superjson.serialize(input)),
        );
      }),
      { numRuns: 2_000 },
    );
  });

  it('keeps superjson for shared objects, class instances and reserved keys', () => {
    const shared = { a: 1 };
    const withShared = { left: shared, right: shared };
    expect(wireTransformer.serialize(withShared)).toEqual(superjson.serialize(withShared));
    expect(wireTransformer.serialize(withShared)).toHaveProperty('meta');
    const typed = { data: new Float32Array([1, 2]) };
    expect(wireTransformer.serialize(typed)).toEqual(superjson.serialize(typed));
    const map = new Map([['k', 1]]);
    expect(wireTransformer.serialize({ map })).toEqual(superjson.serialize({ map }));
    for (const reserved of reservedKeys) {
      const polluted = JSON.parse(`{"${reserved}": {"x": 1}}`) as unknown;
      expect(() => wireTransformer.serialize(polluted)).toThrow(/prototype pollution/);
    }
  });

  it('reads back what superjson wrote, annotations included', () => {
    fc.assert(
      fc.property(value, (input) => {
        const text = JSON.stringify(superjson.serialize(input));
        expect(wireTransformer.deserialize(JSON.parse(text))).toEqual(
          superjson.deserialize(JSON.parse(text) as SuperJSONResult),
        );
      }),
      { numRuns: 1_000 },
    );
  });
});
