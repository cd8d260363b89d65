import { hashApiKey } from '@mlrpc/api';
import { createClient } from '@mlrpc/client';
import { startTestRedis, type TestRedis } from '@mlrpc/jobs/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectApiError } from './support/expect-api-error.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const key = 'shared-limit-key-123456';
let redis: TestRedis;
let replicas: TestServer[];
beforeAll(async () => {
  redis = await startTestRedis();
  const env = {
    REDIS_URL: redis.url,
    API_KEYS: JSON.stringify([{ id: 'alice', sha256: hashApiKey(key), scopes: ['infer', 'jobs'] }]),
    RATE_LIMITS: 'embed=4/minute',
    MODELS_PRELOAD: '0',
  };
  replicas = [await startTestServer(env), await startTestServer(env)];
});
afterAll(async () => {
  await Promise.all(replicas.map((replica) => replica.close()));
  await redis.stop();
});

describe('rate limits with REDIS_URL', () => {
  it('are shared by every replica: a key cannot double its allowance by switching servers', async () => {
    const [first, second] = replicas.map((replica) =>
      createClient({ url: replica.url, apiKey: key }),
    );
    if (!first || !second) throw new Error('two replicas expected');
    for (const client of [first, second, first, second]) {
      expect(
        (await client.embed.mutate({ texts: ['counted once, wherever'] })).embeddings,
      ).toHaveLength(1);
    }
    for (const client of [first, second]) {
      await expectApiError(client.embed.mutate({ texts: ['over'] }), {
        code: 'TOO_MANY_REQUESTS',
        httpStatus: 429,
        errorCode: 'RATE_LIMITED',
      });
    }
  });

  it('ride out a Redis outage: limits count in memory, jobs answer 503 within seconds, readiness fails', async () => {
    const replica = replicas[0];
    if (!replica) throw new Error('a replica expected');
    const client = createClient({ url: replica.url, apiKey: key, retries: 0 });
    // Readiness waits for lazily loaded models here too (MODELS_PRELOAD=0): watch the jobs part.
    const readiness = async () => {
      const response = await fetch(`${replica.url}/health/ready`);
      return { status: response.status, ...((await response.json()) as { jobs: string }) };
    };
    await redis.kill();
    try {
      await expect.poll(async () => (await fetch(`${replica.url}/health/ready`)).status).toBe(503);
      const ready = (await (await fetch(`${replica.url}/health/ready`)).json()) as object;
      expect(ready).toMatchObject({ status: 'not-ready', jobs: 'unreachable' });
      // Answered while Redis is still down: nothing waits for it.
      expect((await client.embed.mutate({ texts: ['counted in memory'] })).embeddings).toHaveLength(
        1,
      );
      const refused = await expectApiError(
        client.jobs.submit.mutate({ kind: 'embed', input: { texts: ['queued later'] } }),
        { code: 'SERVICE_UNAVAILABLE', httpStatus: 503, errorCode: 'BACKEND_UNAVAILABLE' },
      );
      expect(refused.data?.retryAfterSeconds).toBeGreaterThan(0);
      await expectApiError(client.jobs.list.query({}), {
        code: 'SERVICE_UNAVAILABLE',
        httpStatus: 503,
        errorCode: 'BACKEND_UNAVAILABLE',
      });
    } finally {
      await redis.start();
    }
    await expect.poll(readiness).toMatchObject({ jobs: 'ok' });
    const job = await client.jobs.submit.mutate({ kind: 'embed', input: { texts: ['back'] } });
    expect(job.status).toBe('queued');
  });
});
