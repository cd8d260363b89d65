import type { Prediction } from '@mlrpc/schema';

/** Labels per text, best first, with the tokens each text came to. */
export interface TextClassifications {
  predictions: Prediction[][];
  tokens: number[];
}

/** A text classifier (sentiment, spam, moderation) as its task needs it; fakes implement it too. */
export interface TextClassificationModel {
  classify(texts: string[], topK: number): Promise<TextClassifications>;
  dispose(): Promise<void>;
}
