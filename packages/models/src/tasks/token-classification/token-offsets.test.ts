import path from 'node:path';
import { AutoTokenizer, env, type PreTrainedTokenizer } from '@huggingface/transformers';
import { beforeAll, describe, expect, it } from 'vitest';
import { tokenSpans } from './token-offsets.js';

const models = path.resolve(import.meta.dirname, '../../../../../../shared/models');

describe('tokenSpans (real MiniLM word-piece tokenizer)', () => {
  let tokenizer: PreTrainedTokenizer;
  let normalize: (text: string) => string;
  beforeAll(async () => {
    env.allowRemoteModels = false;
    env.localModelPath = `${models}/`;
    tokenizer = await AutoTokenizer.from_pretrained('local/tiny-random-bert-ner');
    const inner = (
      tokenizer as unknown as { _tokenizer: { normalizer: { normalize(text: string): string } } }
    )._tokenizer;
    normalize = (text) => inner.normalizer.normalize(text);
  });

  it.each([
    'Sarah lives in London',
    'Héllo  Wörld! I’m at the café in São-Paulo,   ÅNGSTRÖM.',
    'emoji 😀 inside, 🇫🇷 flags and e\u0301 combining marks',
    'tabs\tand\nnew lines, zero\u200bwidth, ﬁne ligatures, Ⅻ numerals, 中文 text',
    'unknownwordsthatgoonandonforeverandeverwithoutanyspaceatallsothetokenizergivesupentirely!!',
  ])('lays every token over the part of "%s" it came from', (text) => {
    const tokens = tokenizer.tokenize(text);
    const spans = tokenSpans(tokenizer, text);
    expect(spans).toHaveLength(tokens.length);
    let previousEnd = 0;
    spans.forEach((span, index) => {
      const token = tokens[index] ?? '';
      expect(span.start).toBeGreaterThanOrEqual(previousEnd);
      expect(span.end).toBeGreaterThan(span.start);
      const slice = text.slice(span.start, span.end);
      expect(slice.trim()).toBe(slice);
      // The slice, normalized as the tokenizer does, is the token's own surface; an unknown
      // token covers a whole word that tokenizes to nothing but [UNK].
      if (token === '[UNK]') {
        expect(tokenizer.tokenize(slice)).toEqual(['[UNK]']);
      } else {
        expect(normalize(slice).trim()).toBe(token.replace(/^##/, ''));
      }
      previousEnd = span.end;
    });
  });

  it('finds accented and cased words at their original offsets', () => {
    const text = 'Meet  José at CAFÉ Zürich';
    const spans = tokenSpans(tokenizer, text);
    const words = spans.map((span) => text.slice(span.start, span.end));
    expect(words).toContain('José');
    expect(words).toContain('Zürich');
    expect(words.join(' ')).toMatch(/CAF/);
  });
});
