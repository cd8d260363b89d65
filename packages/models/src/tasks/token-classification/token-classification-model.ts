/** One token of a text with where it sits in the caller's string and its label probabilities. */
export interface TaggedToken {
  /** UTF-16 offsets into the caller's string (not the tokenizer's normalized text). */
  start: number;
  end: number;
  /** Probability of each label, in the order of the model's `labels`. */
  scores: number[];
}

/** A token classifier (named entities, PII) as its task needs it; fakes implement it too. */
export interface TokenClassificationModel {
  /** The label of each score position (`O`, `B-PER`, `I-PER`...). */
  readonly labels: string[];
  /** Per text, its tokens in order (special tokens left out; truncated texts stop early). */
  tag(texts: string[]): Promise<TaggedToken[][]>;
  dispose(): Promise<void>;
}
