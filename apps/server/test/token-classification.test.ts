import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { narrowPrediction } from './support/narrow-prediction.js';
import { startTestServer, type TestServer } from './support/test-server.js';

let harness: TestServer;
beforeAll(async () => {
  harness = await startTestServer();
});
afterAll(() => harness.close());

// Texts where the tokenizer's view (lower case, accents stripped, emoji unknown, spaces
// collapsed) differs from the caller's string: offsets must point into the caller's string.
const tricky = [
  'Sarah Connor flew from São Paulo to Zürich with JOHN O’Neil.',
  'Émilie   and  Zoë met at the Café de Flore 😀 in Paris 🇫🇷.',
  'tabs\tand\nnew lines, a zero\u200bwidth space, ﬁne ligatures, e\u0301 combining marks',
  `Mixed 中文 and ${'unknownwords'.repeat(10)}.`,
];

async function entities(texts: string[], options: Record<string, unknown> = {}) {
  return narrowPrediction(
    await harness.client.predict.mutate({ model: 'ner-random', texts, ...options }),
    'token-classification',
  );
}

describe('token classification / entity extraction (predict with texts)', () => {
  it('gives entities whose start/end slice exactly their text out of the caller’s string', async () => {
    for (const aggregation of ['none', 'simple', 'first', 'average', 'max'] as const) {
      const output = await entities(tricky, { aggregation, ignoreLabels: [] });
      expect(output.entities).toHaveLength(tricky.length);
      output.entities.forEach((found, index) => {
        const text = tricky[index] ?? '';
        // With no label ignored, the entities cover every token: there are some in every text.
        expect(found.length).toBeGreaterThan(0);
        let previousEnd = 0;
        for (const entity of found) {
          expect(entity.text).toBe(text.slice(entity.start, entity.end));
          expect(entity.text.length).toBeGreaterThan(0);
          expect(entity.text.trim()).toBe(entity.text);
          expect(entity.start).toBeGreaterThanOrEqual(previousEnd);
          expect(entity.score).toBeGreaterThan(0);
          expect(entity.score).toBeLessThanOrEqual(1);
          previousEnd = entity.end;
        }
      });
    }
  });

  it('finds accented words, emoji and repeated spaces where the caller wrote them', async () => {
    const output = await entities(tricky, { aggregation: 'none', ignoreLabels: [] });
    const words = ['São', 'Zürich', 'JOHN', 'Émilie', 'Zoë', 'Café', '😀', '中', 'ﬁne', 'e\u0301'];
    for (const word of words) {
      const index = tricky.findIndex((text) => text.includes(word));
      const at = tricky[index]?.indexOf(word) ?? -1;
      const pieces = output.entities[index] ?? [];
      // The word's pieces start where the word starts and end where it ends, in the caller's text.
      expect(
        pieces.some((piece) => piece.start === at),
        word,
      ).toBe(true);
      expect(
        pieces.some((piece) => piece.end === at + word.length),
        word,
      ).toBe(true);
    }
    // A word longer than the tokenizer's limit (100 characters) is one unknown token: one span.
    expect(output.entities[3]?.map((piece) => piece.text)).toContain('unknownwords'.repeat(10));
  });

  it('merges B-/I- pieces into one entity per run of a type (simple), as the labels say', async () => {
    const none = await entities(tricky, { aggregation: 'none' });
    const simple = await entities(tricky, { aggregation: 'simple' });
    const types = new Set(['PER', 'LOC', 'ORG', 'MISC']);
    for (const [index, grouped] of simple.entities.entries()) {
      const pieces = none.entities[index] ?? [];
      for (const entity of grouped) {
        expect(types.has(entity.type)).toBe(true);
        // Every merged entity is made of tagged pieces of its own type, start to end.
        const inside = pieces.filter(
          (piece) => piece.start >= entity.start && piece.end <= entity.end,
        );
        expect(inside.length).toBeGreaterThan(0);
        expect(inside[0]?.start).toBe(entity.start);
        expect(inside.at(-1)?.end).toBe(entity.end);
        for (const piece of inside) expect(piece.type.slice(2)).toBe(entity.type);
      }
      expect(grouped.length).toBeLessThanOrEqual(pieces.length);
    }
  });

  it('masks entities as [TYPE] when asked, leaving the rest of each text as it was', async () => {
    const output = await entities(tricky, { mask: true });
    expect(output.maskedTexts).toHaveLength(tricky.length);
    output.maskedTexts?.forEach((masked, index) => {
      const text = tricky[index] ?? '';
      let expected = '';
      let cursor = 0;
      for (const entity of output.entities[index] ?? []) {
        expected += `${text.slice(cursor, entity.start)}[${entity.type}]`;
        cursor = entity.end;
      }
      expect(masked).toBe(expected + text.slice(cursor));
    });
    expect((await entities(['x'])).maskedTexts).toBeUndefined();
  });
});

describe('predict picks the task default from `task` when no model is named', () => {
  it('sends texts to text classification by default, to entities when asked', async () => {
    const labels = await harness.client.predict.mutate({ texts: ['hello there'] });
    expect(labels).toMatchObject({ kind: 'text-classification', model: 'spam' });
    const found = await harness.client.predict.mutate({
      task: 'token-classification',
      texts: ['hello there'],
    });
    expect(found).toMatchObject({ kind: 'token-classification', model: 'ner-random' });
    await expect(
      harness.client.predict.mutate({ task: 'token-classification', model: 'spam', texts: ['x'] }),
    ).rejects.toMatchObject({ data: { errorCode: 'TASK_MISMATCH' } });
  });
});
