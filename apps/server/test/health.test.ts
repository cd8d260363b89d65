import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectApiError } from './support/expect-api-error.js';
import { repositoryRoot } from './support/paths.js';
import { startTestServer, type TestServer } from './support/test-server.js';

describe('health and probes with the local models', () => {
  let harness: TestServer;
  beforeAll(async () => {
    harness = await startTestServer();
  });
  afterAll(() => harness.close());

  it('reports healthy, with the preloaded defaults ready and the rest unloaded', async () => {
    const health = await harness.client.health.query();
    expect(health).toMatchObject({ status: 'healthy', gpuAvailable: false, version: '0.1.0' });
    const byKey = new Map(health.models.map((model) => [`${model.id}@${model.version}`, model]));
    expect(byKey.get('wordnet-minilm@1')).toMatchObject({
      state: 'ready',
      loaded: true,
      device: 'cpu',
    });
    expect(byKey.get('digits@1')).toMatchObject({ state: 'ready', loaded: true, device: 'cpu' });
    expect(byKey.get('mobilenet-v2@1')).toMatchObject({ state: 'unloaded', loaded: false });
  });

  it('answers the plain HTTP probes orchestrators use', async () => {
    const [health, live, ready] = await Promise.all(
      ['/health', '/health/live', '/health/ready'].map((route) => fetch(`${harness.url}${route}`)),
    );
    expect(health?.status).toBe(200);
    expect(await health?.json()).toMatchObject({ status: 'healthy' });
    expect(live?.status).toBe(200);
    expect(await live?.json()).toEqual({ status: 'alive' });
    expect(ready?.status).toBe(200);
    expect(await ready?.json()).toMatchObject({ status: 'ready' });
  });

  it('lists models with what a caller needs to choose one', async () => {
    const { models } = await harness.client.models.list.query();
    const digits = models.filter((model) => model.id === 'digits');
    expect(digits.map((model) => [model.version, model.dtype, model.isDefaultVersion])).toEqual([
      ['1', 'fp32', true],
      ['1-q8', 'q8', false],
    ]);
    expect(models.find((model) => model.id === 'wordnet-minilm')).toMatchObject({
      task: 'feature-extraction',
      isTaskDefault: true,
      activeDevice: 'cpu',
      deviceNote: expect.stringMatching(/^auto chose cpu \(cuda: /) as string,
    });
    expect(models.find((model) => model.id === 'digits')?.loadTimeMs).toBeGreaterThan(0);
  });

  it('loads a model lazily on first use', async () => {
    const before = await harness.client.models.list.query();
    expect(before.models.find((model) => model.id === 'minilm-random')?.state).toBe('unloaded');
    await harness.client.embed.mutate({ model: 'minilm-random', texts: ['wake up'] });
    const after = await harness.client.models.list.query();
    expect(after.models.find((model) => model.id === 'minilm-random')?.state).toBe('ready');
  });

  it('echoes a caller X-Request-ID, makes one when absent, and puts it in errors', async () => {
    const given = await fetch(`${harness.url}/health/live`, {
      headers: { 'x-request-id': 'trace-42' },
    });
    expect(given.headers.get('x-request-id')).toBe('trace-42');
    const made = await fetch(`${harness.url}/health/live`, {
      headers: { 'x-request-id': 'not; a valid id' },
    });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const failed = await fetch(`${harness.url}/trpc/embed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'trace-43' },
      body: JSON.stringify({ json: { texts: [] } }),
    });
    expect(await failed.json()).toMatchObject({
      error: { json: { data: { requestId: 'trace-43' } } },
    });
  });

  it('answers unknown routes with JSON 404', async () => {
    const response = await fetch(`${harness.url}/nope`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });
});

describe('health with the default config when MODELS_DIR holds none of its models', () => {
  let harness: TestServer;
  beforeAll(async () => {
    harness = await startTestServer({
      MODELS_CONFIG: path.join(repositoryRoot, 'config/models.json'),
      MODELS_DIR: path.join(repositoryRoot, 'no-models-here'),
      MODEL_LOAD_RETRY_MS: '30000',
    });
  });
  afterAll(() => harness.close());

  it('starts, and reports the models it could not load instead of crashing', async () => {
    const health = await harness.client.health.query();
    expect(health.status).toBe('unhealthy');
    // Hub models load on their first call; the shipped defaults load at start, and fail here.
    const lazy = [
      'all-minilm-l6-v2',
      'vit-base',
      'smollm2-135m',
      'distilbert-sst2',
      'bert-ner',
      'ms-marco-minilm',
    ];
    for (const model of health.models) {
      if (lazy.includes(model.id)) {
        expect(model.state).toBe('unloaded');
        continue;
      }
      expect(model.state).toBe('failed');
      // A local source that is not there is named as such, not blamed on the hub.
      expect(model.error).toMatch(/no model (folder|file) "local\/[\w./-]+" .*under MODELS_DIR/);
      expect(model.error).not.toMatch(/hub|fetch failed/i);
      // The public health page names no server file path and no URL.
      expect(model.error).not.toContain(repositoryRoot);
      expect(model.error).not.toMatch(/:\/\//);
    }
    const ready = await fetch(`${harness.url}/health/ready`);
    expect(ready.status).toBe(503);
    // The tRPC route says so in its status too, as GET /health does; the typed client still reads it.
    expect((await fetch(`${harness.url}/health`)).status).toBe(503);
    const trpc = await fetch(`${harness.url}/trpc/health`);
    expect(trpc.status).toBe(503);
    expect(await trpc.json()).toMatchObject({
      result: { data: { json: { status: 'unhealthy' } } },
    });
    expect((await fetch(`${harness.url}/health/live`)).status).toBe(200);
  });

  it('refuses inference with MODEL_LOAD_FAILED and a Retry-After hint', async () => {
    const error = await expectApiError(harness.client.embed.mutate({ texts: ['hello'] }), {
      code: 'SERVICE_UNAVAILABLE',
      httpStatus: 503,
      errorCode: 'MODEL_LOAD_FAILED',
    });
    expect(error.data?.retryAfterSeconds).toBeGreaterThan(0);
    const raw = await fetch(`${harness.url}/trpc/embed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ json: { texts: ['hello'] } }),
    });
    expect(raw.status).toBe(503);
    expect(Number(raw.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
