import type { PreTrainedTokenizer } from '@huggingface/transformers';

/** The parts of a tokenizers.js tokenizer that offsets need (transformers.js keeps it private). */
interface TokenizerParts {
  normalizer: { normalize(text: string): string } | null;
  pre_tokenizer: { pre_tokenize_text(text: string): string[] } | null;
  model: {
    encode(words: string[]): string[];
    unk_token?: string;
    config?: { continuing_subword_prefix?: string };
  } | null;
}

export interface TokenSpan {
  start: number;
  end: number;
}

/** The normalized text, and for each of its UTF-16 units the span of the original it came from. */
function normalizeWithOrigins(
  text: string,
  normalizer: TokenizerParts['normalizer'],
): { normalized: string; origins: TokenSpan[] } {
  let normalized = '';
  const origins: TokenSpan[] = [];
  for (let index = 0; index < text.length;) {
    const character = String.fromCodePoint(text.codePointAt(index) ?? 0);
    const end = index + character.length;
    const out = normalizer ? normalizer.normalize(character) : character;
    normalized += out;
    for (let unit = 0; unit < out.length; unit += 1) origins.push({ start: index, end });
    index = end;
  }
  return { normalized, origins };
}

/** Word-piece surfaces laid over a word: `##` pieces continue it, an unknown token covers it. */
function pieceSpans(word: string, pieces: string[], prefix: string, unknown: string): TokenSpan[] {
  let offset = 0;
  const spans = pieces.map((piece, index) => {
    if (piece === unknown) return { start: 0, end: word.length };
    const surface = index > 0 && piece.startsWith(prefix) ? piece.slice(prefix.length) : piece;
    if (!word.startsWith(surface, offset)) return { start: 0, end: word.length };
    const span = { start: offset, end: offset + surface.length };
    offset = span.end;
    return span;
  });
  return spans;
}

/** Exact spans for word-piece tokenizers (BERT and kin): normalize, pre-tokenize, lay pieces. */
function exactSpans(
  parts: TokenizerParts,
  text: string,
  expected: string[],
): TokenSpan[] | undefined {
  const { normalizer, pre_tokenizer: preTokenizer, model } = parts;
  if (!preTokenizer || !model) return undefined;
  const { normalized, origins } = normalizeWithOrigins(text, normalizer);
  if (normalizer && normalizer.normalize(text) !== normalized) return undefined;
  const prefix = model.config?.continuing_subword_prefix ?? '##';
  const unknown = model.unk_token ?? '[UNK]';
  const tokens: string[] = [];
  const spans: TokenSpan[] = [];
  let cursor = 0;
  for (const word of preTokenizer.pre_tokenize_text(normalized)) {
    const at = normalized.indexOf(word, cursor);
    if (at === -1) return undefined;
    cursor = at + word.length;
    const pieces = model.encode([word]);
    pieceSpans(word, pieces, prefix, unknown).forEach((span, index) => {
      tokens.push(pieces[index] ?? '');
      spans.push({ start: at + span.start, end: at + span.end });
    });
  }
  // Added tokens (a literal "[MASK]" in the text, say) split text before this path sees it.
  if (tokens.length !== expected.length || tokens.some((token, i) => token !== expected[i])) {
    return undefined;
  }
  return spans.map((span) => ({
    start: origins[span.start]?.start ?? text.length,
    end: pastMarks(text, origins[span.end - 1]?.end ?? text.length),
  }));
}

/** Combining marks the normalizer dropped (an accent typed as e + U+0301) stay with their letter. */
function pastMarks(text: string, end: number): number {
  let at = end;
  while (at < text.length && /\p{M}/u.test(String.fromCodePoint(text.codePointAt(at) ?? 0))) {
    at += String.fromCodePoint(text.codePointAt(at) ?? 0).length;
  }
  return at;
}

/** Spans for any other tokenizer: each token's surface found in turn, ignoring case. */
function searchedSpans(text: string, tokens: string[]): TokenSpan[] {
  const haystack = text.toLowerCase();
  let cursor = 0;
  return tokens.map((token) => {
    const surface = token.replace(/^(##|Ġ|▁)/, '').toLowerCase();
    const at = surface ? haystack.indexOf(surface, cursor) : -1;
    if (at === -1) return { start: cursor, end: cursor };
    cursor = at + surface.length;
    return { start: at, end: cursor };
  });
}

/**
 * Where each token the tokenizer makes of `text` sits in `text` itself (tokenizers.js gives no
 * offset mapping). Word-piece tokenizers get exact spans, accents, emoji, odd spaces and
 * unknown words included; other tokenizers fall back to finding each token's surface in turn.
 */
export function tokenSpans(tokenizer: PreTrainedTokenizer, text: string): TokenSpan[] {
  const expected = tokenizer.tokenize(text);
  const parts = (tokenizer as unknown as { _tokenizer: TokenizerParts })._tokenizer;
  return exactSpans(parts, text, expected) ?? searchedSpans(text, expected);
}
