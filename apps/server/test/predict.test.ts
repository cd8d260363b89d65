import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapConcurrently, readDigitImages, type DigitImage } from './support/digit-images.js';
import { expectApiError } from './support/expect-api-error.js';
import { digitsRoot } from './support/paths.js';
import { startStaticFileServer, type StaticFileServer } from './support/static-file-server.js';
import { imageResult } from './support/narrow-prediction.js';
import { pixelBombPng } from './support/pixel-bomb.js';
import { startTestServer, type TestServer } from './support/test-server.js';

let harness: TestServer;
let files: StaticFileServer;
let digits: DigitImage[];

beforeAll(async () => {
  [harness, files, digits] = await Promise.all([
    // The image server below is on loopback, which image URLs may not reach unless allowed.
    startTestServer({ IMAGE_FETCH_ALLOW: '127.0.0.1' }),
    startStaticFileServer(digitsRoot),
    readDigitImages(),
  ]);
});
afterAll(async () => {
  await Promise.all([harness.close(), files.close()]);
});

describe('predict (image classification)', () => {
  it('classifies the held-out digits sent as base64 (>= 95% top-1)', async () => {
    expect(digits).toHaveLength(360);
    const labels = await mapConcurrently(digits, 8, async (digit) => {
      const base64 = (await readFile(path.join(digitsRoot, digit.file))).toString('base64');
      const result = imageResult(
        await harness.client.predict.mutate({ image: { base64 }, topK: 3 }),
      );
      expect(result).toMatchObject({ model: 'digits', version: '1' });
      expect(result.predictions).toHaveLength(3);
      return result.predictions[0]?.label;
    });
    const correct = labels.filter((label, index) => label === digits[index]?.label).length;
    // The model card measures 359/360.
    expect(correct / digits.length).toBeGreaterThanOrEqual(0.95);
  });

  it('classifies the held-out digits fetched from an http URL (>= 95% top-1)', async () => {
    const labels = await mapConcurrently(digits, 8, async (digit) => {
      const result = imageResult(
        await harness.client.predict.mutate({
          image: { url: `${files.url}/${digit.file}` },
          topK: 1,
        }),
      );
      return result.predictions[0]?.label;
    });
    const correct = labels.filter((label, index) => label === digits[index]?.label).length;
    expect(correct / digits.length).toBeGreaterThanOrEqual(0.95);
  });

  it('returns confidences that are sorted probabilities, topK of them', async () => {
    const seven = digits.find((digit) => digit.label === '7')?.file ?? 'missing';
    const base64 = (await readFile(path.join(digitsRoot, seven))).toString('base64');
    const result = imageResult(
      await harness.client.predict.mutate({ image: { base64 }, topK: 10 }),
    );
    const confidences = result.predictions.map((prediction) => prediction.confidence);
    expect(result.predictions.map((prediction) => prediction.label).sort()).toEqual([
      '0',
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
      '9',
    ]);
    expect(confidences).toEqual([...confidences].sort((a, b) => b - a));
    expect(confidences.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 3);
    expect(result.predictions[0]?.label).toBe('7');
  });

  it('serves a pinned version and says which one answered', async () => {
    const base64 = (await readFile(path.join(digitsRoot, '3/45.png'))).toString('base64');
    const result = imageResult(
      await harness.client.predict.mutate({
        model: 'digits',
        version: '1-q8',
        image: { base64: `data:image/png;base64,${base64}` },
      }),
    );
    expect(result).toMatchObject({ model: 'digits', version: '1-q8' });
    expect(result.predictions[0]?.label).toBe('3');
    expect(result.predictions).toHaveLength(5);
  });

  it('refuses an image by the size its header declares, before decoding it', async () => {
    const png = pixelBombPng();
    const error = await expectApiError(
      harness.client.predict.mutate({ image: { base64: png.toString('base64') } }),
      { code: 'PAYLOAD_TOO_LARGE', httpStatus: 413, errorCode: 'IMAGE_TOO_LARGE' },
    );
    expect(error.message).toMatch(/40000000 x 1 pixels; each side may be at most 16384/);
  });
});
