import path from 'node:path';
import {
  AutoModelForSequenceClassification,
  AutoTokenizer,
  env,
  type PreTrainedModel,
  type PreTrainedTokenizer,
} from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectApiError } from './support/expect-api-error.js';
import { rankMetrics, readLemmaGlosses } from './support/heldout-data.js';
import { sharedRoot } from './support/paths.js';
import { startTestServer, type TestServer } from './support/test-server.js';

let harness: TestServer;
let heldout: Array<{ lemma: string; gloss: string }>;
beforeAll(async () => {
  harness = await startTestServer();
  heldout = await readLemmaGlosses();
});
afterAll(() => harness.close());

/** The rank (0 = first) of document `answer` in a rerank result. */
const rankOf = (results: Array<{ index: number }>, answer: number) =>
  results.findIndex((result) => result.index === answer);

describe('rerank', () => {
  it('ranks held-out glosses by an embedding model as in-process (MRR 0.351, R@1 0.275)', async () => {
    const glosses = heldout.map((row) => row.gloss);
    const ranks: number[] = [];
    // Ten callers at a time; each lemma ranks all 1,000 glosses.
    for (let start = 0; start < heldout.length; start += 10) {
      const outputs = await Promise.all(
        heldout.slice(start, start + 10).map((row) =>
          harness.client.rerank.mutate({
            model: 'wordnet-minilm',
            query: row.lemma,
            documents: glosses,
          }),
        ),
      );
      outputs.forEach((output, offset) => ranks.push(rankOf(output.results, start + offset)));
    }
    const { mrr, recallAt1 } = rankMetrics(ranks);
    expect(Math.abs(mrr - 0.351)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(recallAt1 - 0.275)).toBeLessThanOrEqual(0.01);
  });

  it('scores (query, document) pairs with a cross-encoder exactly as transformers.js in-process', async () => {
    env.allowRemoteModels = false;
    env.localModelPath = `${path.join(sharedRoot, 'models')}/`;
    const source = 'local/wordnet-reranker-tiny';
    const tokenizer: PreTrainedTokenizer = await AutoTokenizer.from_pretrained(source);
    const model: PreTrainedModel = await AutoModelForSequenceClassification.from_pretrained(
      source,
      {
        dtype: 'fp32',
      },
    );
    const documents = heldout.slice(0, 40).map((row) => row.gloss);
    const query = heldout[3]?.lemma ?? 'x';
    const inputs = tokenizer(new Array<string>(documents.length).fill(query), {
      text_pair: documents,
      padding: true,
      truncation: true,
    });
    const { logits } = (await model(inputs)) as { logits: { data: Float32Array } };
    await model.dispose();
    const output = await harness.client.rerank.mutate({ query, documents, rawScores: true });
    expect(output.model).toBe('wordnet-reranker');
    expect(output.results).toHaveLength(documents.length);
    for (const result of output.results) {
      expect(result.score).toBeCloseTo(logits.data[result.index] ?? NaN, 4);
    }
    const relevance = await harness.client.rerank.mutate({ query, documents });
    expect(relevance.results.map((result) => result.index)).toEqual(
      output.results.map((result) => result.index),
    );
    for (const result of relevance.results) {
      expect(result.score).toBeCloseTo(1 / (1 + Math.exp(-(logits.data[result.index] ?? 0))), 5);
    }
  });

  it('ranks held-out glosses with the trained cross-encoder as its card says (MRR 0.359 on 100 x 300)', async () => {
    // The card's protocol: every third of the first 300 lemmas ranks the first 300 glosses.
    const candidates = heldout.slice(0, 300).map((row) => row.gloss);
    const queries = heldout.slice(0, 300).filter((_, index) => index % 3 === 0);
    const ranks: number[] = [];
    for (let start = 0; start < queries.length; start += 4) {
      const outputs = await Promise.all(
        queries
          .slice(start, start + 4)
          .map((row) => harness.client.rerank.mutate({ query: row.lemma, documents: candidates })),
      );
      outputs.forEach((output, offset) => ranks.push(rankOf(output.results, (start + offset) * 3)));
    }
    const { mrr, recallAt1 } = rankMetrics(ranks);
    expect(Math.abs(mrr - 0.359)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(recallAt1 - 0.29)).toBeLessThanOrEqual(0.01);
  });

  it('cuts to topN, repeats documents when asked, and counts tokens', async () => {
    const documents = ['a domestic animal that barks', 'a place to keep money', 'a young dog'];
    const output = await harness.client.rerank.mutate({
      model: 'cross-encoder-random',
      query: 'puppy',
      documents,
      topN: 2,
      returnDocuments: true,
    });
    expect(output.results).toHaveLength(2);
    expect(output.results[0]!.score).toBeGreaterThanOrEqual(output.results[1]!.score);
    for (const result of output.results) expect(result.document).toBe(documents[result.index]);
    expect(output.usage.promptTokens).toBeGreaterThan(10);
    const plain = await harness.client.rerank.mutate({
      model: 'cross-encoder-random',
      query: 'puppy',
      documents,
    });
    expect(plain.results.every((result) => result.document === undefined)).toBe(true);
  });

  it('answers POST /v1/rerank in the shape Cohere, Jina and TEI clients read', async () => {
    const documents = heldout.slice(0, 5).map((row) => row.gloss);
    const query = heldout[2]?.lemma ?? 'x';
    const post = (body: unknown) =>
      fetch(`${harness.url}/v1/rerank`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const cohere = await post({
      model: 'wordnet-reranker',
      query,
      documents: documents.map((text) => ({ text })),
      top_n: 3,
      return_documents: true,
    });
    expect(cohere.status).toBe(200);
    const body = (await cohere.json()) as {
      model: string;
      results: Array<{ index: number; relevance_score: number; document?: { text: string } }>;
      usage: { total_tokens: number };
    };
    const direct = await harness.client.rerank.mutate({ query, documents, topN: 3 });
    expect(body.model).toBe('wordnet-reranker');
    expect(body.results.map((result) => result.index)).toEqual(
      direct.results.map((result) => result.index),
    );
    for (const result of body.results) {
      expect(result.document?.text).toBe(documents[result.index]);
      expect(result.relevance_score).toBeGreaterThanOrEqual(0);
      expect(result.relevance_score).toBeLessThanOrEqual(1);
    }
    expect(body.usage.total_tokens).toBeGreaterThan(0);
    // TEI's field names; documents as plain strings (Jina).
    const tei = (await (await post({ query, texts: documents })).json()) as { results: unknown[] };
    expect(tei.results).toHaveLength(5);
    const refused = await post({ query: 'q', documents: [] });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: { code: 'INVALID_INPUT' } });
  });

  it('runs a big rerank as a job, in parts with progress, ranking as one call would', async () => {
    const documents = heldout.slice(0, 700).map((row) => row.gloss);
    const query = heldout[650]?.lemma ?? 'x';
    const job = await harness.client.jobs.submit.mutate({
      kind: 'rerank',
      input: { query, documents, topN: 5, returnDocuments: true },
    });
    const progress: number[] = [];
    const done = await harness.client.waitForJob(job.id, { onProgress: (p) => progress.push(p) });
    expect(done.status).toBe('completed');
    expect(progress.some((value) => value > 0 && value < 1)).toBe(true);
    const result = done.result as { results: Array<{ index: number; document?: string }> };
    const live = await harness.client.rerank.mutate({ query, documents, topN: 5 });
    expect(result.results.map((entry) => entry.index)).toEqual(
      live.results.map((entry) => entry.index),
    );
    expect(result.results[0]?.document).toBe(documents[result.results[0]?.index ?? 0]);
  });

  it('refuses bad input and models that cannot rank', async () => {
    const invalid = { code: 'BAD_REQUEST', httpStatus: 400, errorCode: 'INVALID_INPUT' };
    await expectApiError(harness.client.rerank.mutate({ query: ' ', documents: ['x'] }), invalid);
    await expectApiError(harness.client.rerank.mutate({ query: 'q', documents: [] }), invalid);
    await expectApiError(
      harness.client.rerank.mutate({ query: 'q', documents: new Array<string>(1001).fill('d') }),
      invalid,
    );
    await expectApiError(
      harness.client.rerank.mutate({ model: 'digits', query: 'q', documents: ['d'] }),
      {
        code: 'BAD_REQUEST',
        httpStatus: 400,
        errorCode: 'TASK_MISMATCH',
      },
    );
  });
});
