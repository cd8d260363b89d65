import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/test-server.js';

const iris = (id: string) => ({ id, task: 'tensor', source: 'local/iris-mlp', device: 'cpu' });
const input = {
  inputs: { features: { dtype: 'float32' as const, dims: [1, 4], data: [5.1, 3.5, 1.4, 0.2] } },
};

let harness: TestServer;
beforeAll(async () => {
  const folder = await mkdtemp(path.join(tmpdir(), 'mlrpc-lru-'));
  const config = path.join(folder, 'models.json');
  await writeFile(
    config,
    JSON.stringify({
      defaults: { tensor: 'one' },
      models: [iris('one'), iris('two'), iris('three')],
    }),
  );
  harness = await startTestServer({ MODELS_CONFIG: config, MODELS_MAX_LOADED: '2' });
});
afterAll(() => harness.close());

const states = async () =>
  Object.fromEntries(
    (await harness.client.models.list.query()).models.map((model) => [model.id, model.state]),
  );

describe('model lifecycle', () => {
  it('loads, warms up and unloads on request', async () => {
    const loaded = await harness.client.models.load.mutate({ id: 'two' });
    expect(loaded).toMatchObject({ id: 'two', state: 'ready', activeDevice: 'cpu' });
    expect(loaded.loadTimeMs).toBeGreaterThan(0);
    const unloaded = await harness.client.models.unload.mutate({ id: 'two' });
    expect(unloaded.state).toBe('unloaded');
    const again = await harness.client.predict.mutate({ model: 'two', ...input });
    expect(again.model).toBe('two');
    expect((await states()).two).toBe('ready');
  });

  it('keeps at most MODELS_MAX_LOADED loaded, dropping the least recently used', async () => {
    await harness.client.predict.mutate({ model: 'one', ...input });
    await harness.client.predict.mutate({ model: 'two', ...input });
    await harness.client.predict.mutate({ model: 'one', ...input });
    await harness.client.predict.mutate({ model: 'three', ...input });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await states()).toEqual({ one: 'ready', two: 'unloaded', three: 'ready' });
  });

  it('names unknown models and versions in load and unload', async () => {
    await expect(harness.client.models.load.mutate({ id: 'nope' })).rejects.toMatchObject({
      data: { errorCode: 'MODEL_NOT_FOUND' },
    });
    await expect(
      harness.client.models.unload.mutate({ id: 'one', version: '9' }),
    ).rejects.toMatchObject({
      data: { errorCode: 'VERSION_NOT_FOUND' },
    });
  });
});
