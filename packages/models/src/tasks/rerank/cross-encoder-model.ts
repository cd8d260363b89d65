/** Relevance of each (query, document) pair as a logit, with the tokens each pair came to. */
export interface PairScores {
  /** Log-odds that the document answers the query: sigmoid(logit) is the 0..1 relevance. */
  logits: number[];
  tokens: number[];
}

/** A cross-encoder (reads query and document together) as reranking needs it; fakes too. */
export interface CrossEncoderModel {
  score(pairs: Array<[query: string, document: string]>): Promise<PairScores>;
  dispose(): Promise<void>;
}
