/**
 * Text for tokens as they arrive (vLLM's incremental detokenization): each token's text is the
 * difference between decoding a short window with and without it, so spaces and multi-byte
 * characters come out right and the cost per token stays constant. Text waits while a character's
 * bytes are incomplete. `textTokens` is how many tokens' text has been given out: resuming from
 * there is exact.
 */
export class IncrementalDetokenizer {
  private readonly ids: number[];
  private prefixOffset: number;
  private readOffset: number;
  private readonly context: number;

  constructor(
    private readonly decode: (ids: number[]) => string,
    /** A few tokens before the first generated one (the prompt's end), for leading spaces. */
    context: number[],
    /** Tokens generated earlier (a resumed generation) and how many of them have given text. */
    earlier: { ids: number[]; textTokens: number } = { ids: [], textTokens: 0 },
  ) {
    this.context = context.length;
    this.ids = [...context, ...earlier.ids];
    this.readOffset = this.context + earlier.textTokens;
    this.prefixOffset = Math.max(0, this.readOffset - 6);
  }

  /** Generated tokens whose text has been given out. */
  get textTokens(): number {
    return this.readOffset - this.context;
  }

  /** Adds a token; returns the text it completes ('' while a character is incomplete). */
  push(id: number): string {
    this.ids.push(id);
    return this.take(false);
  }

  /** At the end of generation: whatever text is still pending, complete or not. */
  flush(): string {
    return this.readOffset < this.ids.length ? this.take(true) : '';
  }

  private take(force: boolean): string {
    const before = this.decode(this.ids.slice(this.prefixOffset, this.readOffset));
    const after = this.decode(this.ids.slice(this.prefixOffset));
    if (!force && (after.length <= before.length || after.endsWith('\uFFFD'))) return '';
    this.prefixOffset = this.readOffset;
    this.readOffset = this.ids.length;
    return after.slice(before.length);
  }
}
