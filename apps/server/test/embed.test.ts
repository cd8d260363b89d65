import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { env, pipeline, type FeatureExtractionPipeline } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedRoot } from './support/paths.js';
import { startTestServer, type TestServer } from './support/test-server.js';

let harness: TestServer;
beforeAll(async () => {
  harness = await startTestServer();
});
afterAll(() => harness.close());

const norm = (vector: number[]) => Math.hypot(...vector);
const dot = (a: number[], b: number[]) =>
  a.reduce((sum, value, index) => sum + value * (b[index] ?? 0), 0);

describe('embed', () => {
  it('gives the vectors transformers.js gives in-process, however the batch is grouped', async () => {
    env.allowRemoteModels = false;
    env.localModelPath = `${path.join(sharedRoot, 'models')}/`;
    const extractor: FeatureExtractionPipeline = await pipeline(
      'feature-extraction',
      'local/wordnet-minilm-tiny',
      { dtype: 'fp32' },
    );
    // Lengths from one word to a paragraph: the server sorts and pads them in its own groups.
    const texts = [
      'kitten',
      'a doctor treats patients in a hospital near the river',
      'the cat sat on the mat',
      'money',
      'a long sentence about rivers, mountains, lakes and the weather that goes on for a while',
    ];
    const reference = (
      await extractor(texts, { pooling: 'mean', normalize: true })
    ).tolist() as number[][];
    await extractor.dispose();
    const served = await harness.client.embed.mutate({ texts });
    served.embeddings.forEach((vector, index) => {
      expect(dot(vector, reference[index] ?? [])).toBeGreaterThan(0.99999);
    });
  });

  it('returns one unit-length vector per text, of the model dimension, with the default model', async () => {
    const texts = ['a doctor treats patients', 'kitten', 'the river flows to the ocean'];
    const result = await harness.client.embed.mutate({ texts });
    expect(result).toMatchObject({ model: 'wordnet-minilm', version: '1', dimension: 96 });
    expect(result.embeddings).toHaveLength(texts.length);
    for (const vector of result.embeddings) {
      expect(vector).toHaveLength(96);
      expect(norm(vector)).toBeCloseTo(1, 5);
    }
    expect(result.inferenceTimeMs).toBeGreaterThan(0);
  });

  it('keeps each text with its own vector', async () => {
    const single = await harness.client.embed.mutate({ texts: ['bread'] });
    const many = await harness.client.embed.mutate({ texts: ['water', 'bread', 'music'] });
    expect(dot(single.embeddings[0] ?? [], many.embeddings[1] ?? [])).toBeCloseTo(1, 4);
  });

  it('carries meaning: a lemma is closer to its own held-out gloss than to others', async () => {
    const lines = (
      await readFile(path.join(sharedRoot, 'data/wordnet/heldout-lemma-gloss.jsonl'), 'utf8')
    )
      .trim()
      .split('\n')
      .slice(0, 100)
      .map((line) => JSON.parse(line) as { lemma: string; gloss: string });
    const lemmas = await harness.client.embed.mutate({ texts: lines.map((line) => line.lemma) });
    const glosses = await harness.client.embed.mutate({ texts: lines.map((line) => line.gloss) });
    let hitsAtTen = 0;
    lemmas.embeddings.forEach((lemma, index) => {
      const own = dot(lemma, glosses.embeddings[index] ?? []);
      const better = glosses.embeddings.filter((gloss) => dot(lemma, gloss) > own).length;
      if (better < 10) hitsAtTen += 1;
    });
    // Among 100 glosses chance is 10%; the model card measures R@10 0.48 among 1,000.
    expect(hitsAtTen / lines.length).toBeGreaterThan(0.4);
  });

  it('serves another model by id, at its own dimension', async () => {
    const result = await harness.client.embed.mutate({ model: 'minilm-random', texts: ['hello'] });
    expect(result).toMatchObject({ model: 'minilm-random', dimension: 32 });
    expect(norm(result.embeddings[0] ?? [])).toBeCloseTo(1, 5);
  });
});
