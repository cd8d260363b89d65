import { maxTokenLength } from './json-automaton.js';

/** A node of the token trie: the tokens whose text ends here, and the characters that go on. */
export interface TrieNode {
  tokens: number[];
  children: Map<string, TrieNode>;
}

/**
 * Every token's text as it reads inside generated output, and a trie of the ones constrained
 * decoding may use. Built once per model (about 0.2 s for 49k tokens), when a caller first asks
 * for a schema or logprobs.
 */
export interface TokenVocabulary {
  size: number;
  /** Each token's text (for logprobs); special tokens read ''. */
  texts: string[];
  /** Tokens with whole characters of text: special tokens and partial UTF-8 bytes are left out. */
  trie: TrieNode;
}

/**
 * A token's text is what it adds after an anchor token: decoded alone, tokenizers drop a
 * leading space (SentencePiece) or keep it (byte-level BPE), and inside output it is kept.
 */
export function buildTokenVocabulary(
  decode: (ids: number[]) => string,
  size: number,
  anchor: number[],
): TokenVocabulary {
  const base = decode(anchor);
  const texts: string[] = [];
  const trie: TrieNode = { tokens: [], children: new Map() };
  for (let id = 0; id < size; id += 1) {
    const decoded = decode([...anchor, id]);
    const text = decoded.startsWith(base) ? decoded.slice(base.length) : '';
    texts.push(text);
    if (!text || text.includes('\uFFFD') || text.length > maxTokenLength) continue;
    let node = trie;
    for (const char of text) {
      let child = node.children.get(char);
      if (!child) {
        child = { tokens: [], children: new Map() };
        node.children.set(char, child);
      }
      node = child;
    }
    node.tokens.push(id);
  }
  return { size, texts, trie };
}

/**
 * The tokens that spell `text` exactly, longest first at each point (how a forced ending is
 * written); undefined when some character has no token.
 */
export function spellWithTokens(vocabulary: TokenVocabulary, text: string): number[] | undefined {
  const chars = [...text];
  const ids: number[] = [];
  let at = 0;
  while (at < chars.length) {
    let node: TrieNode | undefined = vocabulary.trie;
    let best: { id: number; length: number } | undefined;
    for (let index = at; index < chars.length && node; index += 1) {
      node = node.children.get(chars[index] as string);
      const id = node?.tokens[0];
      if (id !== undefined) best = { id, length: index - at + 1 };
    }
    if (!best) return undefined;
    ids.push(best.id);
    at += best.length;
  }
  return ids;
}
