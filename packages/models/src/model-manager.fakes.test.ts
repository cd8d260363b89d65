import { describe, expect, it } from 'vitest';
import { modelConfigSchema } from './model-config.js';
import { ModelManager } from './model-manager.js';
import {
  inProcessHost,
  recordingChatModel,
  recordingEmbeddingModel,
  recordingTensorModel,
} from './testing/index.js';

const settings = { modelsDir: 'models', cacheDir: '.cache', offline: true, maxImagePixels: 1e6 };
const noProbe = () => Promise.resolve({ candidates: ['cpu' as const], note: null });

function managerWith(models: Parameters<typeof inProcessHost>[0], config: unknown) {
  return new ModelManager({
    config: modelConfigSchema.parse(config),
    settings,
    host: inProcessHost(models),
    planDevices: noProbe,
    loadRetryDelayMs: 0,
  });
}

describe('ModelManager with recording fakes', () => {
  it('routes to the task default, batches waiting callers and gives each its own vectors', async () => {
    const embedder = recordingEmbeddingModel({ dimension: 4 });
    const manager = managerWith(
      { e: embedder },
      {
        defaults: { 'feature-extraction': 'e' },
        models: [{ id: 'e', task: 'feature-extraction', source: 's', maxBatchSize: 8 }],
      },
    );
    const [first, second, third] = await Promise.all([
      manager.run('feature-extraction', { texts: ['a'] }),
      manager.run('feature-extraction', { texts: ['b', 'c'] }),
      manager.run('feature-extraction', { texts: ['d'] }),
    ]);
    // The first call starts alone; the two that waited ride together.
    expect(embedder.calls).toEqual([['a'], ['b', 'c', 'd']]);
    expect(second?.embeddings).toHaveLength(2);
    expect(third?.batchSize).toBe(3);
    expect(first).toMatchObject({ model: 'e', version: '1', dimension: 4, batchSize: 1 });
    const solo = await manager.run('feature-extraction', { texts: ['b'] });
    expect(solo.embeddings[0]).toEqual(second?.embeddings[0]);
    await manager.close();
    expect(embedder.disposed).toBe(true);
  });

  it('checks the task once, at routing, and names the mismatch', async () => {
    const manager = managerWith(
      { e: recordingEmbeddingModel(), chat: recordingChatModel() },
      {
        models: [
          { id: 'e', task: 'feature-extraction', source: 's' },
          { id: 'chat', task: 'text-generation', source: 's' },
        ],
      },
    );
    const mismatch = await manager
      .run('feature-extraction', { model: 'chat', texts: ['x'] })
      .catch((error: unknown) => error);
    expect(mismatch).toMatchObject({ code: 'TASK_MISMATCH' });
    expect(String(mismatch)).toContain('"chat" serves text-generation');
    await expect(manager.run('feature-extraction', { texts: ['x'] })).rejects.toMatchObject({
      code: 'MODEL_NOT_FOUND',
    });
    await manager.close();
  });

  it('keeps a routing key on one A/B version and serves a pinned version exactly', async () => {
    const a = recordingEmbeddingModel();
    const b = recordingEmbeddingModel();
    const manager = managerWith(
      { 'r@a': a, 'r@b': b },
      {
        models: [
          { id: 'r', version: 'a', task: 'feature-extraction', source: 's', weight: 50 },
          { id: 'r', version: 'b', task: 'feature-extraction', source: 's', weight: 50 },
        ],
      },
    );
    const versions = new Set<string>();
    for (let call = 0; call < 5; call += 1) {
      const result = await manager.run('feature-extraction', {
        model: 'r',
        routingKey: 'user-7',
        texts: ['x'],
      });
      versions.add(result.version);
    }
    expect(versions.size).toBe(1);
    const pinned = await manager.run('feature-extraction', {
      model: 'r',
      version: 'b',
      texts: ['x'],
    });
    expect(pinned.version).toBe('b');
    await manager.close();
  });

  it('checks tensor inputs against the model before they queue', async () => {
    const model = recordingTensorModel(
      {
        inputs: [{ name: 'x', dtype: 'float32', shape: ['batch', 2] }],
        outputs: [{ name: 'y', dtype: 'float32', shape: ['batch', 2] }],
        labels: { output: 'y', names: ['no', 'yes'] },
      },
      (inputs) => ({ y: inputs.x as NonNullable<typeof inputs.x> }),
    );
    const manager = managerWith(
      { t: model },
      { models: [{ id: 't', task: 'tensor', source: 's' }] },
    );
    await expect(
      manager.run('tensor', {
        model: 't',
        topK: 1,
        inputs: { z: { dtype: 'float32', dims: [1, 2], data: [0, 1] } },
      }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(model.calls).toHaveLength(0);
    const result = await manager.run('tensor', {
      model: 't',
      topK: 1,
      inputs: { x: { dtype: 'float32', dims: [1, 2], data: [0.2, 0.8] } },
    });
    expect(result.predictions?.[0]?.[0]?.label).toBe('yes');
    await manager.close();
  });

  it('streams a chat turn through callbacks and counts its tokens in the stats', async () => {
    const manager = managerWith(
      { c: recordingChatModel(() => 'one two three') },
      { models: [{ id: 'c', task: 'text-generation', source: 's' }] },
    );
    const pieces: string[] = [];
    const result = await manager.run('text-generation', {
      model: 'c',
      generationId: 'g',
      messages: [{ role: 'user', content: 'hi' }],
      maxTokens: 2,
      temperature: 0,
      topP: 1,
      stop: [],
      onText: (text) => pieces.push(text),
    });
    expect(pieces).toEqual(['one ', 'two ']);
    expect(result).toMatchObject({ text: 'one two ', finishReason: 'length', generationId: 'g' });
    expect(manager.get('c')[0]?.stats.generatedTokens).toBe(2);
    await manager.close();
  });
});
