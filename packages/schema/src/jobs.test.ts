import { describe, expect, it } from 'vitest';
import { jobSubmitInputSchema, jobSubmitUnionSchema } from './jobs.js';

const cases: Array<[string, unknown]> = [
  ['embed', { kind: 'embed', input: { texts: ['a'] } }],
  [
    'embed with options',
    { kind: 'embed', input: { texts: ['a'] }, priority: 1, idempotencyKey: 'k' },
  ],
  [
    'predict tensors',
    { kind: 'predict', input: { inputs: { x: { dtype: 'float32', dims: [1], data: [1] } } } },
  ],
  [
    'predict image url',
    { kind: 'predict', input: { image: { url: 'https://example.com/a.png' } } },
  ],
  ['chat', { kind: 'chat', input: { messages: [{ role: 'user', content: 'hi' }] } }],
  ['kind and input disagree', { kind: 'chat', input: { texts: ['a'] } }],
  ['embed without texts', { kind: 'embed', input: {} }],
  ['predict with neither', { kind: 'predict', input: { topK: 3 } }],
  [
    'predict with both',
    { kind: 'predict', input: { image: { url: 'https://e.com/a' }, inputs: {} } },
  ],
  ['unknown kind', { kind: 'train', input: { texts: ['a'] } }],
  ['extra field', { kind: 'embed', input: { texts: ['a'] }, colour: 'red' }],
  ['bad priority', { kind: 'embed', input: { texts: ['a'] }, priority: 11 }],
  ['not an object', 'embed'],
];

describe('jobSubmitInputSchema', () => {
  it.each(cases)('accepts and rejects exactly what the per-kind union does: %s', (_, value) => {
    const object = jobSubmitInputSchema.safeParse(value);
    const union = jobSubmitUnionSchema.safeParse(value);
    expect(object.success).toBe(union.success);
    if (object.success && union.success) expect(object.data).toEqual(union.data);
  });
});
