import { createClient, TRPCClientError, type AppRouter } from '@mlrpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/test-server.js';

let harness: TestServer;
beforeAll(async () => {
  harness = await startTestServer();
});
afterAll(() => harness.close());

/** Single calls take mlrpc's lean path; batched calls take tRPC's standard adapter. */
const clients = () => ({
  single: createClient({ url: harness.url, batch: false }),
  batched: createClient({ url: harness.url }),
});

const failureOf = async (call: Promise<unknown>) => {
  const error = (await call.catch((caught: unknown) => caught)) as TRPCClientError<AppRouter>;
  expect(error).toBeInstanceOf(TRPCClientError);
  const { requestId: _requestId, ...data } = error.data ?? {};
  return { message: error.message, data };
};

describe('single calls and batched calls behave the same', () => {
  it('return the same results for queries and mutations', async () => {
    const { single, batched } = clients();
    const [a, b] = await Promise.all([
      single.embed.mutate({ texts: ['a river flows'] }),
      batched.embed.mutate({ texts: ['a river flows'] }),
    ]);
    expect(a.embeddings).toEqual(b.embeddings);
    const [listA, listB] = await Promise.all([
      single.models.get.query({ id: 'digits' }),
      batched.models.get.query({ id: 'digits' }),
    ]);
    expect(listA.models.map((model) => model.version)).toEqual(
      listB.models.map((model) => model.version),
    );
  });

  it('return the same error shapes, codes and field paths', async () => {
    const { single, batched } = clients();
    for (const call of [
      (client: ReturnType<typeof createClient>) => client.embed.mutate({ texts: [''] }),
      (client: ReturnType<typeof createClient>) =>
        client.embed.mutate({ model: 'missing', texts: ['x'] }),
      (client: ReturnType<typeof createClient>) => client.models.get.query({ id: 'missing' }),
    ]) {
      expect(await failureOf(call(single))).toEqual(await failureOf(call(batched)));
    }
  });

  it('answer a query over GET with its input in the URL', async () => {
    const input = encodeURIComponent(JSON.stringify({ json: { id: 'digits' } }));
    const response = await fetch(`${harness.url}/trpc/models.get?input=${input}`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { result: { data: { json: { models: unknown[] } } } };
    expect(body.result.data.json.models).toHaveLength(2);
  });

  it('refuse a mutation over GET the way tRPC does', async () => {
    const response = await fetch(`${harness.url}/trpc/embed`);
    expect(response.status).toBe(405);
  });
});
