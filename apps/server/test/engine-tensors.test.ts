import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngineServer } from './support/engine-server.js';
import { expectApiError } from './support/expect-api-error.js';
import { tensorResult } from './support/narrow-prediction.js';
import { sharedRoot } from './support/paths.js';
import type { TestServer } from './support/test-server.js';

interface IrisRow {
  features: number[];
  label: string;
}

let harness: TestServer;
let rows: IrisRow[];
beforeAll(async () => {
  harness = await startEngineServer();
  const csv = await readFile(path.join(sharedRoot, 'data/iris/test.csv'), 'utf8');
  rows = csv
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const cells = line.split(',');
      return { features: cells.slice(0, 4).map(Number), label: cells[5] ?? '' };
    });
});
afterAll(() => harness.close());

const features = (data: number[], batch = data.length / 4) => ({
  features: { dtype: 'float32' as const, dims: [batch, 4], data },
});

describe('generic ONNX models (iris)', () => {
  it('classifies the held-out flowers one request per row (>= 90%, batched by the server)', async () => {
    expect(rows).toHaveLength(30);
    const results = await Promise.all(
      rows.map((row) => harness.client.predict.mutate({ inputs: features(row.features), topK: 1 })),
    );
    const correct = results.filter(
      (result, index) => tensorResult(result).predictions?.[0]?.[0]?.label === rows[index]?.label,
    ).length;
    expect(correct / rows.length).toBeGreaterThanOrEqual(0.9);
    expect(Math.max(...results.map((result) => result.batchSize))).toBeGreaterThan(1);
  });

  it('returns named outputs with dtypes and dims, and labels per row for a whole batch', async () => {
    const result = tensorResult(
      await harness.client.predict.mutate({
        model: 'iris',
        inputs: features(rows.flatMap((row) => row.features)),
        topK: 3,
      }),
    );
    expect(result.outputs.probabilities).toMatchObject({ dtype: 'float32', dims: [30, 3] });
    expect(result.outputs.label).toMatchObject({ dtype: 'int64', dims: [30] });
    const labels = ['setosa', 'versicolor', 'virginica'];
    const argmax = result.outputs.label?.data.map((index) => labels[index]);
    expect(argmax).toEqual(result.predictions?.map((row) => row[0]?.label));
    const correct = argmax?.filter((label, index) => label === rows[index]?.label).length ?? 0;
    expect(correct).toBeGreaterThanOrEqual(27);
    for (const row of result.predictions ?? []) {
      expect(row).toHaveLength(3);
      expect(row.reduce((sum, prediction) => sum + prediction.confidence, 0)).toBeCloseTo(1, 4);
    }
  });

  it('checks inputs against the model metadata', async () => {
    const invalid = { code: 'BAD_REQUEST', httpStatus: 400, errorCode: 'INVALID_INPUT' };
    await expectApiError(
      harness.client.predict.mutate({
        inputs: { features: { dtype: 'int32', dims: [1, 4], data: [1, 2, 3, 4] } },
      }),
      { ...invalid, message: /must be float32, not int32/ },
    );
    await expectApiError(
      harness.client.predict.mutate({
        inputs: { features: { dtype: 'float32', dims: [1, 3], data: [1, 2, 3] } },
      }),
      { ...invalid, message: /shape \[batch, 4\]/ },
    );
    await expectApiError(
      harness.client.predict.mutate({
        inputs: { petals: { dtype: 'float32', dims: [1, 4], data: [1, 2, 3, 4] } },
      }),
      { ...invalid, message: /unknown input "petals"/ },
    );
    await expectApiError(
      harness.client.predict.mutate({
        inputs: { features: { dtype: 'float32', dims: [2, 4], data: [1, 2, 3] } },
      }),
      { ...invalid, message: /product of dims/ },
    );
  });

  it('refuses values a dtype cannot hold, instead of computing on Infinity', async () => {
    const invalid = { code: 'BAD_REQUEST', httpStatus: 400, errorCode: 'INVALID_INPUT' };
    // Finite in JSON, Infinity in float32: the model would answer NaN.
    await expectApiError(
      harness.client.predict.mutate({
        inputs: { features: { dtype: 'float32', dims: [1, 4], data: [1e39, 0, 0, 0] } },
      }),
      { ...invalid, message: /float32 holds numbers within ±3\.4e38; data\[0\] is 1e\+39/ },
    );
    await expectApiError(
      harness.client.predict.mutate({
        inputs: { features: { dtype: 'int32', dims: [1, 4], data: [1, 2, 3.5, 4] } },
      }),
      { ...invalid, message: /int32 holds integers/ },
    );
    // The largest float32 still runs; its outputs are not finite, which JSON cannot carry.
    await expectApiError(
      harness.client.predict.mutate({
        inputs: { features: { dtype: 'float32', dims: [1, 4], data: [3.4e38, 3.4e38, 0, 0] } },
      }),
      { ...invalid, message: /output "\w+" is not finite/ },
    );
  });

  it('bounds the response a call can make: a 1,000,000-element tensor is refused, small', async () => {
    const rows = 250_000;
    const response = await fetch(`${harness.url}/trpc/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        json: {
          model: 'iris',
          inputs: {
            features: {
              dtype: 'float32',
              dims: [rows, 4],
              data: new Array<number>(rows * 4).fill(1.5),
            },
          },
        },
      }),
    });
    const text = await response.text();
    expect(response.status).toBe(400);
    expect(text.length).toBeLessThan(2_000);
    expect(text).toMatch(/outputs would hold more than 262144 numbers/);
    // And the most a call may return still comes back whole.
    const most = Math.floor(65_536 / 3);
    const answer = tensorResult(
      await harness.client.predict.mutate({
        inputs: {
          features: {
            dtype: 'float32',
            dims: [most, 4],
            data: new Array<number>(most * 4).fill(1.5),
          },
        },
      }),
    );
    expect(answer.predictions).toHaveLength(most);
  });
});

describe('versions and A/B routing', () => {
  it('splits unpinned traffic by weight within 5 points over 2000 calls', async () => {
    const input = features([5.1, 3.5, 1.4, 0.2]);
    const versions: string[] = [];
    for (let round = 0; round < 20; round += 1) {
      const results = await Promise.all(
        Array.from({ length: 100 }, () =>
          harness.client.predict.mutate({ model: 'ab', inputs: input }),
        ),
      );
      versions.push(...results.map((result) => result.version));
    }
    const shareOfB = versions.filter((version) => version === 'b').length / versions.length;
    expect(shareOfB).toBeGreaterThan(0.25);
    expect(shareOfB).toBeLessThan(0.35);
    const { models } = await harness.client.models.get.query({ id: 'ab' });
    expect(models.map((model) => model.trafficShare)).toEqual([0.7, 0.3]);
  });

  it('keeps a routing key on one version, and spreads keys over both', async () => {
    const input = features([6.7, 3.0, 5.2, 2.3]);
    const seen = new Set<string>();
    for (let user = 0; user < 40; user += 1) {
      const results = await Promise.all(
        Array.from({ length: 5 }, () =>
          harness.client.predict.mutate({ model: 'ab', inputs: input, routingKey: `user-${user}` }),
        ),
      );
      const versions = new Set(results.map((result) => result.version));
      expect(versions.size).toBe(1);
      seen.add([...versions][0] ?? '');
    }
    expect(seen).toEqual(new Set(['a', 'b']));
  });

  it('serves a pinned version whatever the weights say', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        harness.client.predict.mutate({
          model: 'ab',
          version: 'b',
          inputs: features([5.1, 3.5, 1.4, 0.2]),
        }),
      ),
    );
    expect(new Set(results.map((result) => result.version))).toEqual(new Set(['b']));
  });
});
