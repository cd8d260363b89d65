import { z } from 'zod';
import { limits } from './limits.js';
import { modelSelectionShape, servedByShape } from './model-reference.js';

const rerankTextSchema = z
  .string()
  .max(
    limits.rerankMaxTextLength,
    `each text holds at most ${limits.rerankMaxTextLength} characters`,
  );

/** The fields of a rerank call, with documents allowed up to `maxDocuments` (more in jobs). */
function rerankShape(maxDocuments: number) {
  return {
    ...modelSelectionShape,
    query: rerankTextSchema.refine((text) => text.trim().length > 0, 'query must not be blank'),
    documents: z
      .array(rerankTextSchema)
      .min(1, 'documents must hold at least one document')
      .max(maxDocuments, `documents holds at most ${maxDocuments} items`),
    /** Only the best `topN` results (all by default). */
    topN: z.number().int().min(1).optional(),
    /** Repeat each document's text in its result. */
    returnDocuments: z.boolean().default(false),
    /** A cross-encoder's raw logit instead of its 0..1 relevance (sigmoid). */
    rawScores: z.boolean().default(false),
  };
}

/**
 * Scores documents against a query and returns them best first. A cross-encoder model reads
 * each (query, document) pair; an embedding model scores by cosine similarity (bi-encoder).
 */
export const rerankInputSchema = z.object(rerankShape(limits.rerankMaxDocuments)).strict();
export type RerankInput = z.input<typeof rerankInputSchema>;
export type RerankRequest = z.output<typeof rerankInputSchema>;
/** The same as a job: far more documents, scored in parts with progress. */
export const jobRerankInputSchema = z.object(rerankShape(limits.jobRerankMaxDocuments)).strict();

export const rerankResultSchema = z.object({
  /** The document's position in the input. */
  index: z.number().int().nonnegative(),
  score: z.number(),
  document: z.string().optional(),
});
export type RerankResult = z.infer<typeof rerankResultSchema>;

export const rerankOutputSchema = z.object({
  ...servedByShape,
  /** Best first; `topN` of them when asked. */
  results: z.array(rerankResultSchema),
  /** Tokens read: query-document pairs for a cross-encoder, query and documents for embeddings. */
  usage: z.object({ promptTokens: z.number().int().nonnegative() }),
});
export type RerankOutput = z.infer<typeof rerankOutputSchema>;
