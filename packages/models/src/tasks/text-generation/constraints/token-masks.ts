import { advance, canContinue, isComplete, maxTokenLength, type Frame } from './json-automaton.js';
import { frameKey } from './frame-key.js';
import type { TokenVocabulary, TrieNode } from './token-vocabulary.js';

/** Masks kept per model: each is vocabulary/8 bytes (6 KB for 49k tokens). */
const maxMasks = 4096;

/** The frames one character leads to from any of `frames`, without duplicates. */
export function stepFrames(frames: Frame[], char: string): Frame[] {
  if (frames.length === 1) return advance(frames[0] as Frame, char);
  const next: Frame[] = [];
  const seen = new Set<string>();
  for (const frame of frames) {
    for (const candidate of advance(frame, char)) {
      const key = frameKey(candidate);
      if (seen.has(key)) continue;
      seen.add(key);
      next.push(candidate);
    }
  }
  return next;
}

/** A name for a set of frames: sets with equal names allow exactly the same tokens. */
export function framesKey(frames: Frame[]): string {
  return frames.length === 1
    ? frameKey(frames[0] as Frame)
    : frames.map(frameKey).sort().join('\n');
}

/**
 * Which tokens may come next in each state of a JSON automaton, as bitsets over the vocabulary.
 * A mask is found by walking the token trie with the automaton (a branch ends at the first
 * character the state refuses), or inside free text by length and the few special tokens, then
 * kept by the state's name: inside a string, say, every step has the same name, so the work is
 * done once and each step after costs a lookup.
 */
export class TokenMasks {
  private readonly masks = new Map<string, Uint8Array>();
  /** Tokens of plain text (no quote, backslash or control character), and their lengths. */
  private readonly plain: number[] = [];
  /** The other tokens the trie holds: the few a string's content needs the automaton for. */
  private readonly special: number[] = [];
  /** Plain tokens up to each length, as masks: what a free string with that much room takes. */
  private readonly plainByRoom = new Map<number, Uint8Array>();

  constructor(
    readonly vocabulary: TokenVocabulary,
    readonly endOfSequence: readonly number[],
  ) {
    const collect = (node: TrieNode) => {
      for (const id of node.tokens) {
        (isPlainText(vocabulary.texts[id] ?? '') ? this.plain : this.special).push(id);
      }
      for (const child of node.children.values()) collect(child);
    };
    collect(vocabulary.trie);
  }

  /** The tokens allowed after `frames`; the end-of-sequence tokens once the document is complete. */
  maskFor(frames: Frame[]): Uint8Array {
    const key = framesKey(frames);
    const cached = this.masks.get(key);
    if (cached) {
      // Least recently used goes first: move this one to the back.
      this.masks.delete(key);
      this.masks.set(key, cached);
      return cached;
    }
    const [only] = frames;
    let mask: Uint8Array;
    const room = only && frames.length === 1 ? freeTextRoom(only) : undefined;
    if (room !== undefined) {
      mask = this.freeTextMask(frames, room);
    } else {
      mask = new Uint8Array(Math.ceil(this.vocabulary.size / 8));
      this.walk(this.vocabulary.trie, frames, mask);
    }
    if (frames.some(isComplete)) for (const id of this.endOfSequence) setBit(mask, id);
    remember(this.masks, key, mask, maxMasks);
    return mask;
  }

  /**
   * Inside free text (a string without enum, a key of a free object) nearly every token fits:
   * the plain ones by length alone (one mask per room, made once), and only the few with a
   * quote, backslash or control character are run through the automaton, here, in context.
   */
  private freeTextMask(frames: Frame[], room: number): Uint8Array {
    let plain = this.plainByRoom.get(room);
    if (!plain) {
      plain = new Uint8Array(Math.ceil(this.vocabulary.size / 8));
      for (const id of this.plain) {
        if ((this.vocabulary.texts[id]?.length ?? 0) <= room) setBit(plain, id);
      }
      this.plainByRoom.set(room, plain);
    }
    const mask = plain.slice();
    for (const id of this.special) {
      let next = frames;
      for (const char of this.vocabulary.texts[id] ?? '') {
        next = stepFrames(next, char);
        if (next.length === 0) break;
      }
      if (next.length > 0) setBit(mask, id);
    }
    return mask;
  }

  private walk(node: TrieNode, frames: Frame[], mask: Uint8Array): void {
    for (const [char, child] of node.children) {
      const next = stepFrames(frames, char);
      if (next.length === 0) continue;
      for (const id of child.tokens) setBit(mask, id);
      if (child.children.size > 0 && next.some(canContinue)) this.walk(child, next, mask);
    }
  }
}

/**
 * How many plain characters free text may still take here (capped at the longest token), or
 * undefined when the frame is not free text (an enum, a known key, mid-escape, not a string).
 */
function freeTextRoom(frame: Frame): number | undefined {
  if (frame.kind === 'string' && frame.escape === 0 && !frame.shape.values) {
    return Math.min(frame.shape.maxLength - frame.length, maxTokenLength);
  }
  if (frame.kind === 'key' && frame.escape === 0 && frame.candidates.length === 0) {
    return frame.object.shape.additional ? maxTokenLength : undefined;
  }
  return undefined;
}

/** Text with no quote, backslash or control character: free JSON text takes it as it is. */
function isPlainText(text: string): boolean {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || code === 0x22 || code === 0x5c) return false;
  }
  return true;
}

/** Keeps `value` by `key`, dropping the least recently used entry past `limit`. */
function remember<Value>(map: Map<string, Value>, key: string, value: Value, limit: number): void {
  map.set(key, value);
  if (map.size > limit) map.delete(map.keys().next().value as string);
}

function setBit(mask: Uint8Array, id: number): void {
  if (id >> 3 < mask.length) mask[id >> 3] = (mask[id >> 3] as number) | (1 << (id & 7));
}

/** Whether the mask allows token `id`. */
export function allows(mask: Uint8Array, id: number): boolean {
  return (((mask[id >> 3] ?? 0) >> (id & 7)) & 1) === 1;
}

/** Sets every logit the mask refuses to -Infinity (logits past the vocabulary included). */
export function applyMask(logits: Float32Array, mask: Uint8Array): void {
  const whole = Math.min(mask.length, logits.length >> 3);
  for (let byte = 0; byte < whole; byte += 1) {
    const bits = mask[byte] as number;
    if (bits === 255) continue;
    const start = byte << 3;
    if (bits === 0) {
      logits.fill(Number.NEGATIVE_INFINITY, start, start + 8);
      continue;
    }
    for (let bit = 0; bit < 8; bit += 1) {
      if (((bits >> bit) & 1) === 0) logits[start + bit] = Number.NEGATIVE_INFINITY;
    }
  }
  for (let id = whole << 3; id < logits.length; id += 1) {
    if (!allows(mask, id)) logits[id] = Number.NEGATIVE_INFINITY;
  }
}
