import { describe, expect, it } from 'vitest';
import { aggregateEntities, maskEntities } from './aggregate-entities.js';
import type { TaggedToken } from './token-classification-model.js';

const labels = ['O', 'B-PER', 'I-PER', 'B-LOC', 'I-LOC'];
/** A token at [start, end) whose best label is `label` with probability `p`. */
function token(start: number, end: number, label: string, p = 0.9): TaggedToken {
  const scores = labels.map((name) => (name === label ? p : (1 - p) / (labels.length - 1)));
  return { start, end, scores };
}

// "Ann Lee flew to New York" with "York" split in two pieces: "Yo" "##rk".
const text = 'Ann Lee flew to New York';
const tokens = [
  token(0, 3, 'B-PER'),
  token(4, 7, 'I-PER', 0.7),
  token(8, 12, 'O'),
  token(13, 15, 'O'),
  token(16, 19, 'B-LOC'),
  token(20, 22, 'I-LOC'),
  token(22, 24, 'O', 0.6),
];

describe('aggregateEntities', () => {
  it('merges B-/I- pieces into entities whose text is the caller’s own slice (simple)', () => {
    const entities = aggregateEntities(text, tokens, labels, {
      aggregation: 'simple',
      ignoreLabels: ['O'],
    });
    expect(
      entities.map(({ type, text: span, start, end }) => ({ type, span, start, end })),
    ).toEqual([
      { type: 'PER', span: 'Ann Lee', start: 0, end: 7 },
      { type: 'LOC', span: 'New Yo', start: 16, end: 22 },
    ]);
    expect(entities[0]?.score).toBeCloseTo(0.8);
  });

  it('labels whole words first with first/average/max, so a word is never cut', () => {
    for (const aggregation of ['first', 'average', 'max'] as const) {
      const entities = aggregateEntities(text, tokens, labels, {
        aggregation,
        ignoreLabels: ['O'],
      });
      expect(entities.map((entity) => entity.text)).toEqual(['Ann Lee', 'New York']);
      for (const entity of entities) expect(text.slice(entity.start, entity.end)).toBe(entity.text);
    }
  });

  it('gives every tagged token with none, and keeps labels it is told not to ignore', () => {
    const none = aggregateEntities(text, tokens, labels, {
      aggregation: 'none',
      ignoreLabels: ['O'],
    });
    expect(none.map((entity) => entity.type)).toEqual(['B-PER', 'I-PER', 'B-LOC', 'I-LOC']);
    const all = aggregateEntities(text, tokens, labels, {
      aggregation: 'simple',
      ignoreLabels: [],
    });
    expect(all.map((entity) => entity.type)).toEqual(['PER', 'O', 'LOC', 'O']);
  });
});

describe('maskEntities', () => {
  it('replaces each entity with its type, leaving the rest of the text as it was', () => {
    const entities = aggregateEntities(text, tokens, labels, {
      aggregation: 'first',
      ignoreLabels: ['O'],
    });
    expect(maskEntities(text, entities)).toBe('[PER] flew to [LOC]');
  });
});
