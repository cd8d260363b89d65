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
    API_KEYS: JSON.stringify([{ id: 'alice', sha256: hashApiKey(key), scopes: ['infer'] }]),
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
});
