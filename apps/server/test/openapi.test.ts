import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { hashApiKey } from '@mlrpc/api';
import { compileErrors, validate } from '@readme/openapi-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digitsRoot } from './support/paths.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const key = 'openapi-key-1234567890';
let harness: TestServer;
beforeAll(async () => {
  harness = await startTestServer({
    API_KEYS: JSON.stringify([{ id: 'rest', sha256: hashApiKey(key), scopes: ['admin'] }]),
  });
});
afterAll(() => harness.close());

const rest = (path: string, init: { method?: string; body?: unknown; key?: string } = {}) =>
  fetch(`${harness.url}/api${path}`, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(init.key === undefined ? { authorization: `Bearer ${key}` } : {}),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });

describe('OpenAPI', () => {
  it('serves a valid OpenAPI 3 document covering every non-streaming procedure', async () => {
    const document = (await (await fetch(`${harness.url}/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
      servers: Array<{ url: string }>;
    };
    expect(document.openapi).toMatch(/^3\./);
    const result = await validate(structuredClone(document) as never);
    expect(result.valid, compileErrors(result)).toBe(true);
    expect(Object.keys(document.paths).sort()).toEqual(
      [
        '/chat/complete',
        '/embed',
        '/health',
        '/jobs',
        '/jobs/{jobId}',
        '/jobs/{jobId}/cancel',
        '/models',
        '/models/load',
        '/models/unload',
        '/models/{id}',
        '/predict',
        '/predict/image',
        '/rerank',
      ].sort(),
    );
    expect(document.servers[0]?.url).toBe(`${harness.url}/api`);
  });

  it('answers on the REST routes the document describes, with the same auth and errors', async () => {
    const embedded = await rest('/embed', { method: 'POST', body: { texts: ['a fox', 'a dog'] } });
    expect(embedded.status).toBe(200);
    expect(((await embedded.json()) as { embeddings: number[][] }).embeddings).toHaveLength(2);

    const predicted = await rest('/predict', {
      method: 'POST',
      body: {
        model: 'iris',
        inputs: { features: { dtype: 'float32', dims: [1, 4], data: [5.1, 3.5, 1.4, 0.2] } },
      },
    });
    const prediction = (await predicted.json()) as {
      kind: string;
      predictions: Array<Array<{ label: string }>>;
    };
    expect(prediction.kind).toBe('tensor');
    expect(prediction.predictions[0]?.[0]?.label).toBe('setosa');

    const reranked = (await (
      await rest('/rerank', {
        method: 'POST',
        body: { query: 'dog', documents: ['a bank', 'a domestic animal'], topN: 1 },
      })
    ).json()) as { results: Array<{ index: number }> };
    expect(reranked.results).toHaveLength(1);

    const submitted = (await (
      await rest('/jobs', { method: 'POST', body: { kind: 'embed', input: { texts: ['x'] } } })
    ).json()) as { id: string };
    expect((await rest(`/jobs/${submitted.id}`)).status).toBe(200);
    const listed = (await (await rest('/jobs?limit=5')).json()) as { jobs: Array<{ id: string }> };
    expect(listed.jobs.map((job) => job.id)).toContain(submitted.id);
    expect((await rest(`/models/${encodeURIComponent('wordnet-minilm')}`)).status).toBe(200);

    const health = await rest('/health', { key: '' });
    expect(health.status).toBe(200);
    const anonymous = await rest('/embed', { method: 'POST', body: { texts: ['x'] }, key: '' });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ code: 'UNAUTHORIZED' });
    const invalid = await rest('/embed', { method: 'POST', body: { texts: [] } });
    expect(invalid.status).toBe(400);
  });

  it('describes and serves the image upload route as multipart/form-data', async () => {
    interface FormSchema {
      required: string[];
      properties: Record<string, { type?: string; format?: string }>;
    }
    const document = (await (await fetch(`${harness.url}/openapi.json`)).json()) as {
      paths: Record<
        string,
        { post: { requestBody: { content: Record<string, { schema: FormSchema }> } } }
      >;
    };
    const content = document.paths['/predict/image']?.post.requestBody.content ?? {};
    expect(Object.keys(content)).toEqual(['multipart/form-data']);
    const form = content['multipart/form-data']?.schema;
    expect(form?.required).toEqual(['image']);
    expect(form?.properties.image).toMatchObject({ type: 'string', format: 'binary' });
    expect(form?.properties.model?.type).toBe('string');
    expect(form?.properties.topK?.type).toBe('integer');
    const upload = (authorization?: string) => {
      const form = new FormData();
      form.append('model', 'digits');
      form.append('topK', '2');
      return readFile(path.join(digitsRoot, '7/1009.png')).then((bytes) => {
        form.append('image', new Blob([bytes], { type: 'image/png' }), '1009.png');
        return fetch(`${harness.url}/api/predict/image`, {
          method: 'POST',
          headers: authorization ? { authorization } : {},
          body: form,
        });
      });
    };
    const answered = await upload(`Bearer ${key}`);
    expect(answered.status).toBe(200);
    const result = (await answered.json()) as {
      kind: string;
      predictions: Array<{ label: string }>;
    };
    expect(result.kind).toBe('image-classification');
    expect(result.predictions.map((prediction) => prediction.label)[0]).toBe('7');
    expect(result.predictions).toHaveLength(2);
    const anonymous = await upload();
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ data: { errorCode: 'UNAUTHORIZED' } });
  });

  it('has an interactive docs page that works offline', async () => {
    const page = await fetch(`${harness.url}/docs/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/swagger-ui/);
    const init = await (await fetch(`${harness.url}/docs/swagger-ui-init.js`)).text();
    expect(init).toMatch(/\/openapi\.json/);
    expect((await fetch(`${harness.url}/docs/swagger-ui-bundle.js`)).status).toBe(200);
  });
});
