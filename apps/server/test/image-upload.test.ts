import { readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import path from 'node:path';
import { createClient, limits, type RouterOutputs } from '@mlrpc/client';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { mapConcurrently, readDigitImages, type DigitImage } from './support/digit-images.js';
import { expectApiError } from './support/expect-api-error.js';
import { imageResult } from './support/narrow-prediction.js';
import { digitsRoot, repositoryRoot } from './support/paths.js';
import { pixelBombPng } from './support/pixel-bomb.js';
import { startTestServer, type TestServer } from './support/test-server.js';

let harness: TestServer;
let digits: DigitImage[];
let seven: Buffer;

beforeAll(async () => {
  [harness, digits, seven] = await Promise.all([
    startTestServer(),
    readDigitImages(),
    readFile(path.join(digitsRoot, '7/1009.png')),
  ]);
});
afterAll(() => harness.close());

/** A multipart body written by hand, for forms no well-behaved client would send. */
function multipart(parts: Array<{ name: string; value: string | Buffer; file?: string }>) {
  const boundary = 'mlrpc-test-boundary';
  const pieces = parts.map((part) =>
    Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"` +
          (part.file ? `; filename="${part.file}"\r\nContent-Type: image/png` : '') +
          '\r\n\r\n',
      ),
      Buffer.isBuffer(part.value) ? part.value : Buffer.from(part.value),
      Buffer.from('\r\n'),
    ]),
  );
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    body: Buffer.concat([...pieces, Buffer.from(`--${boundary}--\r\n`)]),
  };
}

async function post(route: string, body: Uint8Array | string, contentType?: string) {
  const response = await fetch(`${harness.url}${route}`, {
    method: 'POST',
    headers: contentType ? { 'content-type': contentType } : {},
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) as unknown };
}

/** Our error code from either route's error shape (tRPC's envelope or the REST body). */
function errorCodeOf(body: unknown): unknown {
  const shape = body as {
    error?: { json?: { data?: { errorCode?: string } } };
    data?: { errorCode?: string };
  };
  return shape.error?.json?.data?.errorCode ?? shape.data?.errorCode;
}

describe('predictImage (image uploads as raw bytes)', () => {
  it('classifies the held-out digits uploaded as bytes through the typed client (>= 95% top-1), as base64 does', async () => {
    expect(digits).toHaveLength(360);
    const labels = await mapConcurrently(digits, 8, async (digit) => {
      const bytes = await readFile(path.join(digitsRoot, digit.file));
      const result = await harness.client.predictImage.mutate({ image: bytes, topK: 3 });
      expect(result).toMatchObject({ kind: 'image-classification', model: 'digits' });
      return result.predictions[0]?.label;
    });
    const correct = labels.filter((label, index) => label === digits[index]?.label).length;
    expect(correct / digits.length).toBeGreaterThanOrEqual(0.95);

    // The same bytes give the same answer whichever way they travel.
    for (const digit of digits.slice(0, 20)) {
      const bytes = await readFile(path.join(digitsRoot, digit.file));
      const [uploaded, inline] = await Promise.all([
        harness.client.predictImage.mutate({ image: bytes, topK: 3 }),
        harness.client.predict.mutate({ image: { base64: bytes.toString('base64') }, topK: 3 }),
      ]);
      expect(uploaded.predictions).toEqual(imageResult(inline).predictions);
    }
  });

  it('takes a File and a Blob as a browser holds them, typed end to end', async () => {
    const file = new File([new Uint8Array(seven)], 'seven.png', { type: 'image/png' });
    const fromFile = await harness.client.predictImage.mutate({
      image: file,
      model: 'digits',
      topK: 2,
    });
    const fromBlob = await harness.client.predictImage.mutate({
      image: new Blob([new Uint8Array(seven)]),
    });
    // No narrowing on `kind`: the procedure answers image classification only.
    expectTypeOf(fromFile).toEqualTypeOf<RouterOutputs['predictImage']>();
    expectTypeOf(fromFile.predictions).toEqualTypeOf<
      Array<{ label: string; confidence: number }>
    >();
    expect(fromFile.predictions.map((prediction) => prediction.label)).toEqual(['7', '4']);
    expect(fromBlob.predictions).toHaveLength(limits.topKDefault);
    expect(fromBlob.predictions[0]).toEqual(fromFile.predictions[0]);
    // @ts-expect-error a text is not an image upload
    const wrongType = harness.client.predictImage.mutate({ image: 'seven.png' });
    await expectApiError(wrongType, {
      code: 'BAD_REQUEST',
      httpStatus: 400,
      errorCode: 'INVALID_INPUT',
      message: /image must be a file/,
    });
  });

  it('sends the bytes as multipart form data: no JSON, no base64', async () => {
    const sent: Array<{ url: string; contentType: string | null; bytes: number }> = [];
    const client = createClient({
      url: harness.url,
      fetch: async (input, init) => {
        const request = new Request(input, init);
        const body = await request.clone().arrayBuffer();
        sent.push({
          url: request.url,
          contentType: request.headers.get('content-type'),
          bytes: body.byteLength,
        });
        return fetch(request);
      },
    });
    const [uploaded, embedded] = await Promise.all([
      client.predictImage.mutate({ image: seven, model: 'digits' }),
      client.embed.mutate({ texts: ['a cat'] }),
    ]);
    expect(uploaded.predictions[0]?.label).toBe('7');
    expect(embedded.embeddings).toHaveLength(1);
    const upload = sent.find((call) => call.url.includes('predictImage'));
    expect(upload?.url).toBe(`${harness.url}/trpc/predictImage`);
    expect(upload?.contentType).toMatch(/^multipart\/form-data; boundary=/);
    // The file's bytes plus a few hundred bytes of form: base64 would be a third larger.
    expect(upload?.bytes).toBeGreaterThan(seven.length);
    expect(upload?.bytes).toBeLessThan(seven.length + 1_000);
    // The JSON call beside it still went out batched.
    expect(sent.find((call) => call.url.includes('embed'))?.url).toMatch(/\?batch=1/);
  });

  it('refuses an image over the byte limit as it streams in, without waiting for the rest', async () => {
    for (const route of ['/trpc/predictImage', '/api/predict/image']) {
      // Chunked: no declared length, so only counting the bytes as they come can stop it.
      const outcome = await new Promise<{ status: number; body: string; written: number }>(
        (resolve, reject) => {
          const boundary = 'streamed-upload';
          const upload = httpRequest(`${harness.url}${route}`, {
            method: 'POST',
            headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
          });
          let written = 0;
          let answered = false;
          upload.on('response', (response) => {
            answered = true;
            const writtenWhenAnswered = written;
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('end', () => {
              upload.destroy();
              resolve({
                status: response.statusCode ?? 0,
                body: Buffer.concat(chunks).toString('utf8'),
                written: writtenWhenAnswered,
              });
            });
          });
          // The server cuts the connection after the answer once it dropped 64 MiB more.
          upload.on('error', (error) => {
            if (!answered) reject(error);
          });
          const piece = Buffer.alloc(1024 * 1024, 0x42);
          const send = () => {
            while (!answered && written < 200 * 1024 * 1024) {
              written += piece.length;
              if (!upload.write(piece)) {
                upload.once('drain', send);
                return;
              }
            }
            if (!answered) upload.end(`\r\n--${boundary}--\r\n`);
          };
          upload.write(
            `--${boundary}\r\nContent-Disposition: form-data; name="image"; filename="huge.png"\r\n\r\n`,
          );
          send();
        },
      );
      expect(outcome.status).toBe(413);
      expect(errorCodeOf(JSON.parse(outcome.body))).toBe('IMAGE_TOO_LARGE');
      expect(outcome.body).toMatch(/exceeds 10485760 bytes/);
      // Answered soon after the limit, not after the 200 MiB the client would have sent.
      expect(outcome.written).toBeLessThan(64 * 1024 * 1024);
    }
  });

  it('answers a body declared too large at once, and the client reads that answer', async () => {
    const started = Date.now();
    await expectApiError(
      harness.client.predictImage.mutate({ image: new Uint8Array(limits.imageMaxBytes + 100_000) }),
      {
        code: 'PAYLOAD_TOO_LARGE',
        httpStatus: 413,
        errorCode: 'PAYLOAD_TOO_LARGE',
        message: /a form upload holds at most \d+ bytes \(its image at most 10485760\)/,
      },
    );
    expect(Date.now() - started).toBeLessThan(30_000);
    // The connection stays usable: the next upload on the same client is answered.
    const next = await harness.client.predictImage.mutate({ image: seven, topK: 1 });
    expect(next.predictions[0]?.label).toBe('7');
  });

  it('refuses an image by the size its header declares, before decoding it', async () => {
    await expectApiError(harness.client.predictImage.mutate({ image: pixelBombPng() }), {
      code: 'PAYLOAD_TOO_LARGE',
      httpStatus: 413,
      errorCode: 'IMAGE_TOO_LARGE',
      message: /40000000 x 1 pixels; each side may be at most 16384/,
    });
  });

  it('gives careless uploads clear typed errors, never a 5xx, on both routes', async () => {
    const readme = await readFile(path.join(repositoryRoot, 'README.md'));
    await expectApiError(harness.client.predictImage.mutate({ image: new Uint8Array(0) }), {
      code: 'BAD_REQUEST',
      httpStatus: 400,
      errorCode: 'INVALID_INPUT',
      message: /image must not be empty/,
    });
    await expectApiError(harness.client.predictImage.mutate({ image: readme }), {
      code: 'UNPROCESSABLE_CONTENT',
      httpStatus: 422,
      errorCode: 'INVALID_IMAGE',
    });
    await expectApiError(
      harness.client.predictImage.mutate({ image: seven, model: 'wordnet-minilm' }),
      { code: 'BAD_REQUEST', httpStatus: 400, errorCode: 'TASK_MISMATCH' },
    );
    await expectApiError(harness.client.predictImage.mutate({ image: seven, model: 'nope' }), {
      code: 'NOT_FOUND',
      httpStatus: 404,
      errorCode: 'MODEL_NOT_FOUND',
    });

    const image = { name: 'image', value: seven, file: 'seven.png' };
    const cases: Array<{
      what: string;
      form: ReturnType<typeof multipart> | { contentType: string; body: Buffer };
      status: number;
      errorCode: string;
      message: RegExp;
      routes?: string[];
    }> = [
      {
        what: 'two files',
        form: multipart([image, { ...image, name: 'other' }]),
        status: 400,
        errorCode: 'INVALID_INPUT',
        message: /one file/,
      },
      {
        what: 'an unknown field',
        form: multipart([{ name: 'colour', value: 'red' }, image]),
        status: 400,
        errorCode: 'INVALID_INPUT',
        message: /Unrecognized key/,
      },
      {
        what: 'the image as text',
        form: multipart([{ name: 'image', value: 'seven.png' }]),
        status: 400,
        errorCode: 'INVALID_INPUT',
        message: /image must be a file/,
      },
      {
        what: 'no image at all',
        form: multipart([{ name: 'model', value: 'digits' }]),
        status: 400,
        errorCode: 'INVALID_INPUT',
        message: /image must be a file/,
      },
      {
        what: 'topK that is not a number',
        form: multipart([{ name: 'topK', value: 'many' }, image]),
        status: 400,
        errorCode: 'INVALID_INPUT',
        message: /topK/,
      },
      {
        what: 'a field given twice',
        form: multipart([{ name: 'model', value: 'digits' }, { name: 'model', value: 'x' }, image]),
        status: 400,
        errorCode: 'INVALID_INPUT',
        message: /model/,
      },
      {
        what: 'a field named __proto__',
        form: multipart([{ name: '__proto__', value: 'x' }, image]),
        status: 400,
        errorCode: 'INVALID_INPUT',
        message: /Unrecognized key.*__proto__/,
      },
      {
        what: 'a field of 5 KB',
        form: multipart([{ name: 'model', value: 'x'.repeat(5_000) }, image]),
        status: 413,
        errorCode: 'PAYLOAD_TOO_LARGE',
        message: /a form field holds at most 4096 bytes/,
      },
      {
        what: '40 fields',
        form: multipart(
          Array.from({ length: 40 }, (_, index) => ({ name: `f${index}`, value: 'x' })),
        ),
        status: 400,
        errorCode: 'INVALID_INPUT',
        message: /at most 16 fields/,
      },
      {
        what: 'no boundary',
        form: { contentType: 'multipart/form-data', body: Buffer.from('hello') },
        status: 400,
        errorCode: 'INVALID_INPUT',
        message: /the form cannot be read/,
      },
      {
        what: 'a body cut short',
        form: (() => {
          const whole = multipart([image]);
          return { ...whole, body: whole.body.subarray(0, whole.body.length - 40) };
        })(),
        status: 400,
        errorCode: 'INVALID_INPUT',
        message: /the form is malformed/,
      },
    ];
    for (const entry of cases) {
      for (const route of entry.routes ?? ['/trpc/predictImage', '/api/predict/image']) {
        const answer = await post(route, entry.form.body, entry.form.contentType);
        expect({ what: entry.what, route, status: answer.status }).toEqual({
          what: entry.what,
          route,
          status: entry.status,
        });
        expect(errorCodeOf(answer.body), `${entry.what} on ${route}`).toBe(entry.errorCode);
        expect(answer.text, `${entry.what} on ${route}`).toMatch(entry.message);
      }
    }

    // JSON cannot carry bytes: base64 goes to predict, and this says what to send instead.
    const json = await post(
      '/trpc/predictImage',
      JSON.stringify({ json: { image: { base64: seven.toString('base64') } } }),
      'application/json',
    );
    expect(json.status).toBe(400);
    expect(json.text).toMatch(
      /image must be a file \(a File, Blob or Uint8Array sent as form data\)/,
    );
    // A form to a procedure that does not exist, or is not a mutation, is refused unread.
    const nowhere = await post('/trpc/nosuch', multipart([image]).body, multipart([]).contentType);
    expect(nowhere.status).toBe(404);
    expect(errorCodeOf(nowhere.body)).toBe('NOT_FOUND');
    const query = await post('/trpc/health', multipart([image]).body, multipart([]).contentType);
    expect(query.status).toBe(405);
    // A form is one call: tRPC's batches are JSON.
    const batched = await post(
      '/trpc/predictImage?batch=1',
      multipart([image]).body,
      multipart([]).contentType,
    );
    expect(batched.status).toBe(400);
    expect(batched.text).toMatch(/cannot be batched/);

    // After all of that, the server still answers correctly.
    const after = await harness.client.predictImage.mutate({ image: seven, topK: 1 });
    expect(after.predictions[0]?.label).toBe('7');
  });
});
