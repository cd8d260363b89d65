import type { RerankResult } from '@mlrpc/schema';

/** Scores in input order become results best first, cut to `topN`, with documents if asked. */
export function rankResults(
  scores: number[],
  documents: string[],
  options: { topN?: number | undefined; returnDocuments: boolean },
): RerankResult[] {
  return scores
    .map((score, index) => ({ index, score }))
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, options.topN ?? scores.length)
    .map((result) =>
      options.returnDocuments ? { ...result, document: documents[result.index] ?? '' } : result,
    );
}
