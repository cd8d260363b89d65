import type { RerankOutput } from '@mlrpc/schema';
import type { BatchCodec } from '../../serving/batch-codec.js';
import type { TaskDefinition } from '../task-definition.js';
import type { CrossEncoderModel, PairScores } from './cross-encoder-model.js';
import { rankResults } from './rank-results.js';
import { rerankByEmbeddings } from './rerank-by-embeddings.js';

export interface RerankInput {
  query: string;
  documents: string[];
  topN?: number | undefined;
  returnDocuments: boolean;
  rawScores: boolean;
}

export interface PairsPayload {
  pairs: Array<[string, string]>;
}

/** One caller's scores, in document order, and the tokens its pairs came to. */
export interface CallerScores {
  scores: number[];
  tokens: number;
}

const sigmoid = (logit: number) => 1 / (1 + Math.exp(-logit));

/** Pairs from many callers run as one batch (a document is one item); each gets its own scores. */
const rerankCodec: BatchCodec<RerankInput, PairsPayload, PairScores, CallerScores> = {
  size: (request) => request.documents.length,
  compatible: () => true,
  merge: (requests) => ({
    payload: {
      pairs: requests.flatMap((request) =>
        request.documents.map((document): [string, string] => [request.query, document]),
      ),
    },
    transfer: [],
  }),
  split(result, requests) {
    let pair = 0;
    return requests.map((request) => {
      const end = pair + request.documents.length;
      const logits = result.logits.slice(pair, end);
      const tokens = result.tokens.slice(pair, end).reduce((sum, count) => sum + count, 0);
      pair = end;
      return { scores: request.rawScores ? logits : logits.map(sigmoid), tokens };
    });
  },
};

/**
 * Reranking: documents scored against a query, best first. Cross-encoder models read each
 * (query, document) pair; an embedding model named here scores by cosine similarity instead.
 */
export const rerankTask: TaskDefinition<
  RerankInput,
  RerankInput,
  PairsPayload,
  PairScores,
  CallerScores,
  RerankOutput
> = {
  task: 'rerank',
  runtime: {
    async load(entry, context): Promise<CrossEncoderModel> {
      const { loadTransformersCrossEncoder } = await import('./transformers-cross-encoder.js');
      return loadTransformersCrossEncoder(entry, context);
    },
    warmUp: (model: CrossEncoderModel) => model.score([['warm', 'up']]).then(() => undefined),
    run: (model: CrossEncoderModel, payload) => model.score(payload.pairs),
    dispose: (model: CrossEncoderModel) => model.dispose(),
  },
  admit: (input) => ({
    query: input.query,
    documents: input.documents,
    topN: input.topN,
    returnDocuments: input.returnDocuments,
    rawScores: input.rawScores,
  }),
  codec: () => rerankCodec,
  output: (response, served, request) => ({
    ...served,
    results: rankResults(response.scores, request.documents, request),
    usage: { promptTokens: response.tokens },
  }),
  parts: {
    count: (input) => input.documents.length,
    // Parts keep every score; the best are picked once all are in.
    slice: (input, start, end) => ({
      ...input,
      documents: input.documents.slice(start, end),
      topN: undefined,
      returnDocuments: false,
    }),
    join(outputs, input) {
      const scores: number[] = [];
      for (const output of outputs) {
        const own = new Array<number>(output.results.length);
        for (const result of output.results) own[result.index] = result.score;
        scores.push(...own);
      }
      const [first] = outputs as [RerankOutput];
      return {
        ...first,
        inferenceTimeMs: outputs.reduce((sum, output) => sum + output.inferenceTimeMs, 0),
        queueTimeMs: outputs.reduce((sum, output) => sum + output.queueTimeMs, 0),
        results: rankResults(scores, input.documents, input),
        usage: {
          promptTokens: outputs.reduce((sum, output) => sum + output.usage.promptTokens, 0),
        },
      };
    },
  },
  bridge: { task: 'feature-extraction', run: rerankByEmbeddings },
};
