import { AddressPolicy, createJobProcessor } from '@mlrpc/engine';
import { EmbeddedJobBackend } from '@mlrpc/jobs';
import { ModelManager, modelConfigSchema } from '@mlrpc/models';
import {
  inProcessHost,
  recordingCrossEncoder,
  recordingEmbeddingModel,
  recordingTextClassifier,
  recordingTokenClassifier,
} from '@mlrpc/models/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryGenerationStore } from '../chat/generation-store.js';
import { createContext } from '../context.js';
import { ApiMetrics } from '../metrics/api-metrics.js';
import { ProcedureRateLimiter } from '../rate-limit/procedure-rate-limiter.js';
import { createCaller } from '../root.js';

// The router over the real manager, batching and task code, with recording fakes for models:
// no weights, no threads, no HTTP.
const embedder = recordingEmbeddingModel({ dimension: 4 });
const classifier = recordingTextClassifier();
const tagger = recordingTokenClassifier();
const crossEncoder = recordingCrossEncoder();
const models = new ModelManager({
  config: modelConfigSchema.parse({
    defaults: {
      'feature-extraction': 'embedder',
      'text-classification': 'classifier',
      'token-classification': 'tagger',
      rerank: 'cross-encoder',
    },
    models: [
      { id: 'embedder', task: 'feature-extraction', source: 'fake' },
      { id: 'classifier', task: 'text-classification', source: 'fake' },
      { id: 'tagger', task: 'token-classification', source: 'fake' },
      { id: 'cross-encoder', task: 'rerank', source: 'fake' },
    ],
  }),
  settings: { modelsDir: 'models', cacheDir: '.cache', offline: true, maxImagePixels: 1e6 },
  host: inProcessHost({
    embedder,
    classifier,
    tagger,
    'cross-encoder': crossEncoder,
  }),
  planDevices: () => Promise.resolve({ candidates: ['cpu'], note: null }),
});
const imageFetch = {
  maxBytes: 1_000,
  maxPixels: 1_000_000,
  timeoutMs: 1_000,
  maxRedirects: 0,
  addressPolicy: new AddressPolicy([]),
};
const jobs = new EmbeddedJobBackend(createJobProcessor(models, imageFetch), {
  concurrency: 1,
  maxQueued: 10,
  retentionMs: 60_000,
});
const caller = createCaller(
  createContext(
    {
      models,
      jobs,
      generations: new MemoryGenerationStore(),
      imageFetch,
      apiKeys: null,
      rateLimiter: new ProcedureRateLimiter({}, undefined),
      metrics: new ApiMetrics(models, jobs),
      serverVersion: 'test',
      startedAt: Date.now(),
      shutdown: new AbortController().signal,
    },
    { requestId: 'test' },
  ),
);
afterAll(async () => {
  await jobs.close();
  await models.close();
});

describe('the router with recording fakes', () => {
  it('routes predict texts to the text-classification default, or to entities when asked', async () => {
    const labels = await caller.predict({ texts: ['abc', 'abcd'], topK: 1 });
    expect(labels).toMatchObject({
      kind: 'text-classification',
      model: 'classifier',
      predictions: [[{ label: 'odd' }], [{ label: 'even' }]],
    });
    expect(classifier.calls).toEqual([['abc', 'abcd']]);
    const found = await caller.predict({
      task: 'token-classification',
      texts: ['meet Ann Lee  in town'],
      mask: true,
    });
    expect(found).toMatchObject({
      kind: 'token-classification',
      entities: [[{ type: 'PER', text: 'Ann Lee', start: 5, end: 12 }]],
      maskedTexts: ['meet [PER]  in town'],
    });
  });

  it('reranks with the cross-encoder, best first, and with an embedding model by cosine', async () => {
    const documents = ['the cat sat', 'a dog barked loudly', 'dog and cat'];
    const ranked = await caller.rerank({ query: 'dog cat', documents, returnDocuments: true });
    expect(ranked.results.map((result) => result.index)).toEqual([2, 0, 1]);
    expect(ranked.results[0]?.document).toBe('dog and cat');
    expect(crossEncoder.calls.at(-1)).toEqual(documents.map((document) => ['dog cat', document]));
    const byEmbedding = await caller.rerank({ model: 'embedder', query: 'dog and cat', documents });
    expect(byEmbedding.results[0]?.index).toBe(2);
    expect(byEmbedding.results[0]?.score).toBeCloseTo(1, 5);
    // Documents are embedded once per model version: reranking again embeds only the query.
    const before = embedder.calls.flat().length;
    await caller.rerank({ model: 'embedder', query: 'something else', documents });
    expect(embedder.calls.flat().length - before).toBe(1);
  });

  it('runs a rerank job in parts that join into the one ranking', async () => {
    const documents = Array.from(
      { length: 600 },
      (_, index) => `document ${index} ${index === 417 ? 'needle' : ''}`,
    );
    const submitted = await caller.jobs.submit({
      kind: 'rerank',
      input: { query: 'needle', documents, topN: 1 },
    });
    for (;;) {
      const job = await caller.jobs.get({ jobId: submitted.id });
      if (job.status === 'completed') {
        expect(job.result).toMatchObject({ results: [{ index: 417 }] });
        break;
      }
      expect(job.status).not.toBe('failed');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    // 600 documents ran as parts of 256 pairs or fewer.
    expect(crossEncoder.calls.slice(-3).map((pairs) => pairs.length)).toEqual([256, 256, 88]);
  });
});
