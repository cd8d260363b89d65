import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { limits } from '@mlrpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectApiError } from './support/expect-api-error.js';
import { imageResult } from './support/narrow-prediction.js';
import { digitsRoot } from './support/paths.js';
import { startTestServer, type TestServer } from './support/test-server.js';

let harness: TestServer;
beforeAll(async () => {
  harness = await startTestServer({
    BODY_LIMIT_BYTES: String(1024 * 1024),
    // The unreachable-URL case uses a closed loopback port, which only an allowlist lets through.
    IMAGE_FETCH_ALLOW: '127.0.0.1',
  });
});
afterAll(() => harness.close());

async function closedLoopbackPort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

const badRequest = { code: 'BAD_REQUEST', httpStatus: 400 };

describe('bad input gets a documented, typed error and the server keeps serving', () => {
  it('refuses an empty text with the field path', async () => {
    const error = await expectApiError(harness.client.embed.mutate({ texts: ['   '] }), {
      ...badRequest,
      errorCode: 'INVALID_INPUT',
      message: /texts\.0: text must not be blank/,
    });
    expect(error.data?.fieldErrors).toEqual([
      { path: 'texts.0', message: 'text must not be blank' },
    ]);
  });

  it('refuses an empty list and too many texts', async () => {
    await expectApiError(harness.client.embed.mutate({ texts: [] }), {
      ...badRequest,
      errorCode: 'INVALID_INPUT',
    });
    const texts = Array.from({ length: limits.embedMaxTexts + 1 }, (_, index) => `text ${index}`);
    await expectApiError(harness.client.embed.mutate({ texts }), {
      ...badRequest,
      errorCode: 'INVALID_INPUT',
      message: /at most 256/,
    });
  });

  it('refuses malformed base64', async () => {
    await expectApiError(
      harness.client.predict.mutate({ image: { base64: 'this is not base64!' } }),
      {
        ...badRequest,
        errorCode: 'INVALID_INPUT',
        message: /image\.base64: base64 is malformed/,
      },
    );
  });

  it('refuses bytes that are not an image', async () => {
    const base64 = Buffer.from('%PDF-1.4 definitely not a picture').toString('base64');
    await expectApiError(harness.client.predict.mutate({ image: { base64 } }), {
      code: 'UNPROCESSABLE_CONTENT',
      httpStatus: 422,
      errorCode: 'INVALID_IMAGE',
    });
  });

  it('refuses an unknown model, an unknown version and a model of another task', async () => {
    await expectApiError(harness.client.embed.mutate({ model: 'no-such-model', texts: ['x'] }), {
      code: 'NOT_FOUND',
      httpStatus: 404,
      errorCode: 'MODEL_NOT_FOUND',
      message: /no-such-model/,
    });
    await expectApiError(
      harness.client.embed.mutate({ model: 'wordnet-minilm', version: '42', texts: ['x'] }),
      { code: 'NOT_FOUND', httpStatus: 404, errorCode: 'VERSION_NOT_FOUND' },
    );
    await expectApiError(harness.client.embed.mutate({ model: 'digits', texts: ['x'] }), {
      ...badRequest,
      errorCode: 'TASK_MISMATCH',
    });
  });

  it('reports an unreachable image URL', async () => {
    const port = await closedLoopbackPort();
    await expectApiError(
      harness.client.predict.mutate({ image: { url: `http://127.0.0.1:${port}/digit.png` } }),
      { ...badRequest, errorCode: 'IMAGE_FETCH_FAILED', message: /ECONNREFUSED/ },
    );
  });

  it('refuses a non-http URL', async () => {
    await expectApiError(harness.client.predict.mutate({ image: { url: 'file:///etc/passwd' } }), {
      ...badRequest,
      errorCode: 'INVALID_INPUT',
    });
  });

  it('answers broken JSON and oversized bodies over plain HTTP with our error code', async () => {
    const broken = await fetch(`${harness.url}/trpc/embed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"json": {"texts": [',
    });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({
      error: { json: { data: { errorCode: 'INVALID_INPUT' } } },
    });

    const huge = await fetch(`${harness.url}/trpc/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ json: { image: { base64: 'A'.repeat(2 * 1024 * 1024) } } }),
    });
    expect(huge.status).toBe(413);
    expect(await huge.json()).toMatchObject({
      error: { json: { data: { errorCode: 'PAYLOAD_TOO_LARGE' } } },
    });
  });

  it('still serves correct answers after all of that', async () => {
    const base64 = (await readFile(path.join(digitsRoot, '3/45.png'))).toString('base64');
    const [prediction, embedding] = await Promise.all([
      harness.client.predict.mutate({ image: { base64 } }).then(imageResult),
      harness.client.embed.mutate({ texts: ['still alive'] }),
    ]);
    expect(prediction.predictions[0]?.label).toBe('3');
    expect(embedding.embeddings).toHaveLength(1);
    expect((await harness.client.health.query()).status).toBe('healthy');
  });
});
