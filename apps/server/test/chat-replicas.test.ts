import { randomUUID } from 'node:crypto';
import { hashApiKey } from '@mlrpc/api';
import { createClient, type MlrpcClient } from '@mlrpc/client';
import { startTestRedis, type TestRedis } from '@mlrpc/jobs/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  collectChatStream,
  expectExactResumeAfterEveryCut,
  textOf,
} from './support/collect-stream.js';
import { expectApiError } from './support/expect-api-error.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';

const keys = { alice: 'alice-key-1234567890', bob: 'bob-key-1234567890' };
const apiKeys = JSON.stringify([
  { id: 'alice', sha256: hashApiKey(keys.alice), scopes: ['infer'] },
  { id: 'bob', sha256: hashApiKey(keys.bob), scopes: ['infer'] },
]);

let redis: TestRedis;
let servers: Record<'a' | 'b' | 'c', ServerProcess>;
const client = (server: ServerProcess, key: keyof typeof keys): MlrpcClient =>
  createClient({ url: server.url, apiKey: keys[key] });

beforeAll(async () => {
  redis = await startTestRedis();
  const env = {
    REDIS_URL: redis.url,
    REDIS_PREFIX: `replicas-${randomUUID()}`,
    API_KEYS: apiKeys,
    MODELS_PRELOAD: '0',
    JOBS_PROCESS_IN_SERVER: '0',
  };
  const [a, b, c] = await Promise.all([
    startServerProcess(env),
    startServerProcess(env),
    startServerProcess(env),
  ]);
  servers = { a, b, c };
});
afterAll(async () => {
  await Promise.all(Object.values(servers).map((server) => server.kill('SIGTERM')));
  await redis.stop();
});

const teacher = { messages: [{ role: 'user' as const, content: 'What does teacher mean?' }] };

describe('chat streams across replicas sharing Redis', () => {
  it('resumes on server B a stream started on server A, exactly, cut after each of its events', async () => {
    const whole = await collectChatStream(client(servers.a, 'alice'), teacher);
    expect(textOf(whole)).toBe('A person whose occupation is teaching.');
    await expectExactResumeAfterEveryCut(
      client(servers.a, 'alice'),
      client(servers.b, 'alice'),
      teacher,
      whole,
    );
  });

  it("refuses key B resume or cancel of key A's stream, on either server", async () => {
    const events = await collectChatStream(client(servers.a, 'alice'), teacher);
    const lastEventId = events[1]?.id ?? '';
    for (const server of [servers.a, servers.b]) {
      await expectApiError(collectChatStream(client(server, 'bob'), { ...teacher, lastEventId }), {
        code: 'NOT_FOUND',
        httpStatus: 404,
        errorCode: 'NOT_FOUND',
      });
      const cancelled = await client(server, 'bob').chat.cancel.mutate({
        generationId: lastEventId.split(':')[0] ?? '',
      });
      expect(cancelled).toEqual({ cancelled: false });
    }
  });

  it('a cancel sent to server B stops the generation running on server A', async () => {
    const long = { model: 'llama-random', messages: teacher.messages, maxTokens: 4_000 };
    const alice = client(servers.a, 'alice');
    const events: Array<{ type: string; finishReason?: string; completionTokens?: number }> = [];
    await new Promise<void>((resolve, reject) => {
      let deltas = 0;
      const subscription = alice.chat.stream.subscribe(long, {
        onData: ({ data }) => {
          events.push({
            type: data.type,
            ...(data.type === 'end'
              ? { finishReason: data.finishReason, completionTokens: data.usage.completionTokens }
              : {}),
          });
          if (data.type === 'start') {
            const generationId = data.generationId;
            void (async () => {
              await expect.poll(() => deltas, { timeout: 30_000 }).toBeGreaterThanOrEqual(5);
              const result = await client(servers.b, 'alice').chat.cancel.mutate({ generationId });
              if (!result.cancelled) reject(new Error('server B did not reach the run on A'));
            })();
          }
          if (data.type === 'delta') deltas += 1;
          if (data.type === 'end') {
            subscription.unsubscribe();
            resolve();
          }
        },
        onError: reject,
      });
    });
    expect(events.at(-1)).toMatchObject({ type: 'end', finishReason: 'abort' });
    expect(events.at(-1)?.completionTokens).toBeLessThan(4_000);
  });

  it('continues a generation whose server was killed, exactly once, when two clients resume at once', async () => {
    const long = { model: 'llama-random', messages: teacher.messages, maxTokens: 600 };
    const reference = await collectChatStream(client(servers.b, 'alice'), long);
    const requests = async () => {
      const counts = await Promise.all(
        [servers.b, servers.c].map(
          async (server) =>
            (await client(server, 'alice').models.get.query({ id: 'llama-random' })).models[0]
              ?.stats.requests ?? 0,
        ),
      );
      return counts[0]! + counts[1]!;
    };
    await client(servers.c, 'alice')
      .models.load.mutate({ id: 'llama-random' })
      .catch(() => null);
    const before = await requests();
    // Server A streams until the client has 20 deltas, then dies without a word.
    const seen: Array<{ id: string; data: { type: string; text?: string } }> = [];
    await new Promise<void>((resolve) => {
      let deltas = 0;
      let killed = false;
      client(servers.a, 'alice').chat.stream.subscribe(long, {
        onData: ({ id, data }) => {
          if (killed) return;
          seen.push({
            id,
            data: { type: data.type, ...(data.type === 'delta' ? { text: data.text } : {}) },
          });
          if (data.type === 'delta' && ++deltas === 20) {
            killed = true;
            void servers.a.kill('SIGKILL').then(() => resolve());
          }
        },
        onError: () => undefined,
      });
    });
    const lastEventId = seen.at(-1)?.id ?? '';
    const [onB, onC] = await Promise.all([
      collectChatStream(client(servers.b, 'alice'), { ...long, lastEventId }),
      collectChatStream(client(servers.c, 'alice'), { ...long, lastEventId }),
    ]);
    for (const rest of [onB, onC]) {
      expect(textOf([...seen, ...rest])).toBe(textOf(reference));
      expect(rest.at(-1)?.data).toMatchObject({ type: 'end', finishReason: 'length' });
    }
    expect(onB.map((event) => event.id)).toEqual(onC.map((event) => event.id));
    // One continuation, on one of the two servers.
    expect((await requests()) - before).toBe(1);
  });
});
