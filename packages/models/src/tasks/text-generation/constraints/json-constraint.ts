import { canContinue, isComplete, startOf, type Frame } from './json-automaton.js';
import { shortestEnding } from './json-endings.js';
import type { JsonShape } from './json-shape.js';
import { allows, stepFrames, type TokenMasks } from './token-masks.js';
import { spellWithTokens } from './token-vocabulary.js';

/**
 * One generation's place in its JSON document: which tokens may come next, and how to finish
 * within the tokens left. Output made only of allowed tokens always parses and fits the shape;
 * when the budget gets short, the shortest valid ending is written token by token instead of
 * what the model would pick, so even a `length` finish leaves a complete document.
 */
export class JsonConstraint {
  private frames: Frame[];

  constructor(
    shape: JsonShape,
    private readonly masks: TokenMasks,
  ) {
    this.frames = startOf(shape);
  }

  /** The tokens allowed next (end of sequence included once the document is complete). */
  mask(): Uint8Array {
    return this.masks.maskFor(this.frames);
  }

  allows(token: number): boolean {
    return allows(this.mask(), token);
  }

  /** Whether the document is complete here (the end of sequence may come). */
  get complete(): boolean {
    return this.frames.some(isComplete);
  }

  /** Whether nothing may follow: the document is complete and closed. */
  get finished(): boolean {
    return !this.frames.some(canContinue);
  }

  /** Moves past a token; false (and no move) when the token does not fit. */
  accept(token: number): boolean {
    return this.acceptText(this.masks.vocabulary.texts[token] ?? '');
  }

  /** Moves past text written earlier (a resumed generation); false when it does not fit. */
  acceptText(text: string): boolean {
    let frames = this.frames;
    for (const char of text) {
      frames = stepFrames(frames, char);
      if (frames.length === 0) return false;
    }
    this.frames = frames;
    return true;
  }

  /**
   * The token to take when the model picked `token` (from the masked logits) with `budget`
   * tokens left, this one included: the model's pick while the document can still be finished
   * after it, else the next token of the shortest ending (the end of sequence when complete).
   */
  choose(token: number, budget: number): number {
    if (this.masks.endOfSequence.includes(token) || this.fitsAfter(token, budget - 1)) return token;
    return this.ending()?.[0] ?? this.masks.endOfSequence[0] ?? token;
  }

  /** The tokens of the shortest valid ending from here; undefined when one cannot be spelled. */
  ending(): number[] | undefined {
    return this.endingFrom(this.frames);
  }

  /**
   * Whether the document can still be finished within `budget` tokens after taking `token`: a
   * cheap character count first (no ending takes more tokens than characters), spelled only
   * when that is close.
   */
  fitsAfter(token: number, budget: number): boolean {
    let frames = this.frames;
    for (const char of this.masks.vocabulary.texts[token] ?? '') {
      frames = stepFrames(frames, char);
      if (frames.length === 0) return false;
    }
    if (frames.some(isComplete) || !frames.some(canContinue)) return true;
    if (this.shortestText(frames).length <= budget) return true;
    const spelled = this.endingFrom(frames);
    return spelled !== undefined && spelled.length <= budget;
  }

  private shortestText(frames: Frame[]): string {
    return frames
      .filter(canContinue)
      .map(shortestEnding)
      .reduce((shortest, text) => (text.length < shortest.length ? text : shortest));
  }

  private endingFrom(frames: Frame[]): number[] | undefined {
    if (frames.some(isComplete) || !frames.some(canContinue)) return [];
    return spellWithTokens(this.masks.vocabulary, this.shortestText(frames));
  }
}
