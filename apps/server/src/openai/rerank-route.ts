import { randomUUID } from 'node:crypto';
import { createCaller, type ApiDependencies } from '@mlrpc/api';
import { openAIRerankRequestSchema } from '@mlrpc/schema';
import type { Router } from 'express';
import { contextFor } from '../request-context.js';
import { watchCaller } from './caller-watch.js';
import { parseOpenAIRequest, sendOpenAIError } from './openai-error.js';

/**
 * `POST /v1/rerank` in the shape Cohere, Jina and TEI clients share: results best first with
 * `index` and `relevance_score` (and the document's text when asked), token usage, Cohere's meta.
 */
export function rerankRoute(router: Router, dependencies: ApiDependencies): void {
  router.post('/v1/rerank', async (request, response) => {
    const watch = watchCaller(response);
    try {
      const body = parseOpenAIRequest(openAIRerankRequestSchema, request.body);
      const documents =
        body.documents?.map((document) =>
          typeof document === 'string' ? document : document.text,
        ) ??
        body.texts ??
        [];
      const caller = createCaller(contextFor(dependencies, request), { signal: watch.signal });
      const output = await caller.rerank({
        query: body.query,
        documents,
        ...(body.model ? { model: body.model } : {}),
        ...(body.top_n == null ? {} : { topN: body.top_n }),
        returnDocuments: Boolean(body.return_documents ?? body.return_text),
        rawScores: body.raw_scores ?? false,
      });
      response.json({
        id: randomUUID(),
        object: 'list',
        model: output.model,
        results: output.results.map((result) => ({
          index: result.index,
          relevance_score: result.score,
          ...(result.document === undefined ? {} : { document: { text: result.document } }),
        })),
        usage: {
          prompt_tokens: output.usage.promptTokens,
          total_tokens: output.usage.promptTokens,
        },
        meta: { billed_units: { search_units: 1 } },
      });
    } catch (error) {
      if (!watch.left()) sendOpenAIError(response, error);
    }
  });
}
