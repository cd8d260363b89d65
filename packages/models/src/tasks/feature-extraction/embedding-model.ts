/** Row-major vectors in one buffer, so a batch crosses threads as a single transferable copy. */
export interface EmbeddingBatch {
  data: Float32Array;
  dimension: number;
  /** Tokens of each text, after truncation. */
  tokens: number[];
}

/** A sentence-embedding model as its task needs it; backends and test fakes implement it. */
export interface EmbeddingModel {
  embed(texts: string[]): Promise<EmbeddingBatch>;
  dispose(): Promise<void>;
}
