import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { modelConfigSchema } from './model-config.js';
import { ModelManager } from './model-manager.js';

const shared = path.resolve(import.meta.dirname, '../../../../shared');

interface Triple {
  anchor: string;
  positive: string;
  negative: string;
}

const dot = (a: number[], b: number[]) =>
  a.reduce((sum, value, index) => sum + value * (b[index] ?? 0), 0);

describe('ModelManager with real models', () => {
  let manager: ModelManager;

  beforeAll(() => {
    manager = new ModelManager({
      settings: {
        modelsDir: path.join(shared, 'models'),
        cacheDir: path.join(tmpdir(), 'mlrpc-test-cache'),
        offline: true,
        maxImagePixels: 40_000_000,
      },
      loadRetryDelayMs: 0,
      config: modelConfigSchema.parse({
        defaults: { 'feature-extraction': 'wordnet', 'image-classification': 'digits' },
        models: [
          { id: 'wordnet', task: 'feature-extraction', source: 'local/wordnet-minilm-tiny' },
          {
            id: 'wordnet',
            version: '2',
            task: 'feature-extraction',
            source: 'local/wordnet-minilm-tiny',
            dtype: 'q8',
          },
          { id: 'digits', task: 'image-classification', source: 'local/resnet-tiny-digits' },
          { id: 'broken', task: 'feature-extraction', source: 'local/does-not-exist' },
        ],
      }),
    });
  });

  afterAll(() => manager.close());

  it('embeds with real semantics: related words sit closer than unrelated ones', async () => {
    const triples = JSON.parse(
      await readFile(path.join(shared, 'data/wordnet/sanity-triples.json'), 'utf8'),
    ) as Triple[];
    const texts = triples.flatMap((triple) => [triple.anchor, triple.positive, triple.negative]);
    const result = await manager.run('feature-extraction', { texts });
    expect(result).toMatchObject({ model: 'wordnet', version: '1', dimension: 96 });
    let correct = 0;
    for (let index = 0; index < triples.length; index += 1) {
      const [anchor, positive, negative] = result.embeddings.slice(index * 3, index * 3 + 3) as [
        number[],
        number[],
        number[],
      ];
      if (dot(anchor, positive) > dot(anchor, negative)) correct += 1;
    }
    // The model card reports 11 of 12 (dog / puppy / airplane is the miss).
    expect(correct).toBeGreaterThanOrEqual(11);
  });

  it('serves the pinned version and reports it', async () => {
    const pinned = await manager.run('feature-extraction', {
      model: 'wordnet',
      version: '2',
      texts: ['tree'],
    });
    expect(pinned.version).toBe('2');
    const list = manager.list().filter((info) => info.id === 'wordnet');
    expect(list.map((info) => [info.version, info.isDefaultVersion])).toEqual([
      ['1', true],
      ['2', false],
    ]);
  });

  it('names what is wrong with a selection', async () => {
    await expect(
      manager.run('feature-extraction', { model: 'nope', texts: ['x'] }),
    ).rejects.toMatchObject({
      code: 'MODEL_NOT_FOUND',
    });
    await expect(
      manager.run('feature-extraction', { model: 'wordnet', version: '9', texts: ['x'] }),
    ).rejects.toMatchObject({
      code: 'VERSION_NOT_FOUND',
    });
    await expect(
      manager.run('feature-extraction', { model: 'digits', texts: ['x'] }),
    ).rejects.toMatchObject({
      code: 'TASK_MISMATCH',
    });
    await expect(
      manager.run('feature-extraction', { model: 'broken', texts: ['x'] }),
    ).rejects.toMatchObject({
      code: 'MODEL_LOAD_FAILED',
    });
  });

  it('does no inference for a caller that already went away', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      manager.run('feature-extraction', { texts: ['x'], signal: controller.signal }),
    ).rejects.toMatchObject({
      code: 'CANCELLED',
    });
  });

  it('reports a failed model as degraded health, with the reason', () => {
    const health = manager.health();
    expect(health.status).toBe('degraded');
    expect(health.models.find((model) => model.id === 'broken')?.error).toMatch(/does-not-exist/);
  });
});
