import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heavyTexts, startEngineServer } from './support/engine-server.js';
import { expectApiError } from './support/expect-api-error.js';
import type { TestServer } from './support/test-server.js';

let harness: TestServer;
beforeAll(async () => {
  harness = await startEngineServer();
  await harness.client.models.load.mutate({ id: 'slow' });
  await harness.client.models.load.mutate({ id: 'slow-deadline' });
});
afterAll(() => harness.close());

const modelInfo = async (id: string) =>
  (await harness.client.models.get.query({ id })).models[0] ?? expect.fail(`no model ${id}`);

describe('dynamic batching', () => {
  it('groups concurrent requests into shared model calls without mixing results', async () => {
    const words = Array.from({ length: 24 }, (_, index) => `word number ${index} of the batch`);
    const alone = await Promise.all(
      words.slice(0, 3).map((word) => harness.client.embed.mutate({ texts: [word] })),
    );
    const before = (await modelInfo('wordnet')).stats;
    const together = await Promise.all(
      words.map((word) => harness.client.embed.mutate({ texts: [word, `${word}!`] })),
    );
    const after = (await modelInfo('wordnet')).stats;

    expect(Math.max(...together.map((result) => result.batchSize))).toBeGreaterThan(2);
    expect(after.batches - before.batches).toBeLessThan(words.length);
    expect(after.items - before.items).toBe(words.length * 2);
    for (const [index, result] of together.entries()) {
      expect(result.embeddings).toHaveLength(2);
      expect(result.batchSize).toBeGreaterThanOrEqual(2);
      const reference = alone[index]?.embeddings[0];
      if (reference) {
        const dot = reference.reduce(
          (sum, value, axis) => sum + value * (result.embeddings[0]?.[axis] ?? 0),
          0,
        );
        expect(dot).toBeCloseTo(1, 4);
      }
    }
  });
});

describe('bounded queues, deadlines and cancellation', () => {
  it('refuses requests beyond the queue bound with QUEUE_FULL and Retry-After', async () => {
    const texts = heavyTexts(64);
    const running = harness.client.embed.mutate({ model: 'slow', texts });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const queued = [1, 2].map(() =>
      harness.client.embed.mutate({ model: 'slow', texts: ['queued'] }),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    const error = await expectApiError(
      harness.client.embed.mutate({ model: 'slow', texts: ['one too many'] }),
      {
        code: 'TOO_MANY_REQUESTS',
        httpStatus: 429,
        errorCode: 'QUEUE_FULL',
      },
    );
    expect(error.data?.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    const raw = await fetch(`${harness.url}/trpc/embed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ json: { model: 'slow', texts: ['over the limit'] } }),
    });
    expect(raw.status).toBe(429);
    expect(Number(raw.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    await Promise.all([running, ...queued]);
    expect((await modelInfo('slow')).stats.rejected).toBeGreaterThanOrEqual(2);
  });

  it('drops a request whose caller went away before it reaches the model', async () => {
    const before = (await modelInfo('slow')).stats;
    const running = harness.client.embed.mutate({ model: 'slow', texts: heavyTexts(64) });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const controller = new AbortController();
    const abandoned = harness.client.embed.mutate(
      { model: 'slow', texts: ['nobody waits for me'] },
      { signal: controller.signal },
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await modelInfo('slow')).queueDepth).toBe(1);
    controller.abort();
    await expect(abandoned).rejects.toThrow();
    await running;
    await new Promise((resolve) => setTimeout(resolve, 100));
    const after = await modelInfo('slow');
    expect(after.stats.cancelled - before.cancelled).toBe(1);
    expect(after.stats.batches - before.batches).toBe(1);
    expect(after.stats.items - before.items).toBe(64);
    expect(after.queueDepth).toBe(0);
  });

  it('gives up on a request past its deadline with TIMEOUT', async () => {
    await expectApiError(
      harness.client.embed.mutate({ model: 'slow-deadline', texts: heavyTexts(128) }),
      {
        code: 'TIMEOUT',
        httpStatus: 408,
        errorCode: 'TIMEOUT',
      },
    );
    expect((await modelInfo('slow-deadline')).stats.timedOut).toBe(1);
  });
});

describe('inference off the event loop', () => {
  it('answers /health/live at once while a long inference runs', async () => {
    const started = performance.now();
    const inference = harness.client.embed.mutate({ model: 'slow', texts: heavyTexts(128) });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const probeTimes: number[] = [];
    for (let probe = 0; probe < 5; probe += 1) {
      const sent = performance.now();
      const response = await fetch(`${harness.url}/health/live`);
      expect(response.status).toBe(200);
      probeTimes.push(performance.now() - sent);
    }
    await inference;
    const inferenceMs = performance.now() - started;
    // On the event loop each probe would wait for the whole inference (about a second here).
    expect(Math.max(...probeTimes)).toBeLessThan(inferenceMs / 4);
  });
});
