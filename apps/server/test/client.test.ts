import { createClient, MlrpcError, TRPCClientError, waitForJob } from '@mlrpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readGlosses } from './support/glosses.js';
import { startTestServer, type TestServer } from './support/test-server.js';

let harness: TestServer;
let glosses: string[];
beforeAll(async () => {
  harness = await startTestServer();
  glosses = await readGlosses();
});
afterAll(() => harness.close());

/** A fetch that answers the first `failures` calls with a 503 the way the server would. */
function flakyFetch(failures: number) {
  const calls: string[] = [];
  const fetchImplementation: typeof fetch = (input, init) => {
    calls.push(input instanceof Request ? input.url : input.toString());
    if (calls.length <= failures) {
      const body = {
        error: {
          json: {
            message: 'busy',
            code: -32603,
            data: { code: 'SERVICE_UNAVAILABLE', httpStatus: 503, errorCode: 'MODEL_NOT_LOADED' },
          },
        },
      };
      return Promise.resolve(
        new Response(JSON.stringify(body), {
          status: 503,
          headers: { 'content-type': 'application/json' },
        }),
      );
    }
    return fetch(input, init);
  };
  return { calls, fetch: fetchImplementation };
}

describe('@mlrpc/client', () => {
  it('fails with an MlrpcError carrying our code, the HTTP status, request id and field errors', async () => {
    const error = await harness.client.embed
      .mutate({ texts: [' '] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MlrpcError);
    expect(error).toBeInstanceOf(TRPCClientError);
    const failure = error as MlrpcError;
    expect(failure).toMatchObject({
      errorCode: 'INVALID_INPUT',
      trpcCode: 'BAD_REQUEST',
      httpStatus: 400,
      isNetworkError: false,
    });
    expect(failure.requestId).toMatch(/.+/);
    expect(failure.fieldErrors[0]?.path).toBe('texts.0');
  });

  it('reports an unreachable server as a network error', async () => {
    const client = createClient({ url: 'http://127.0.0.1:1', retries: 0 });
    const error = (await client.health.query().catch((caught: unknown) => caught)) as MlrpcError;
    expect(error).toBeInstanceOf(MlrpcError);
    expect(error.isNetworkError).toBe(true);
    expect(error.errorCode).toBeUndefined();
  });

  it('fails a stream to a server that cannot be reached, after its retries, instead of reconnecting forever', async () => {
    const stream = async (retries?: number) => {
      const client = createClient({
        url: 'http://127.0.0.1:1',
        ...(retries === undefined ? {} : { retries }),
      });
      const started = Date.now();
      try {
        for await (const event of client.chatStream({
          messages: [{ role: 'user', content: 'What does kitten mean?' }],
        })) {
          throw new Error(`an event came from nowhere: ${JSON.stringify(event)}`);
        }
        throw new Error('the stream ended without an error');
      } catch (error) {
        return { error: error as MlrpcError, seconds: (Date.now() - started) / 1000 };
      }
    };
    const once = await stream(0);
    expect(once.error).toBeInstanceOf(MlrpcError);
    expect(once.error.isNetworkError).toBe(true);
    // Two retries by default, at EventSource's pace of one every 3 s.
    const retried = await stream();
    expect(retried.error).toBeInstanceOf(MlrpcError);
    expect(retried.error.isNetworkError).toBe(true);
    expect(retried.seconds).toBeGreaterThanOrEqual(5);
  });

  it('retries a query after a passing 503, but never a mutation', async () => {
    const forQuery = flakyFetch(1);
    const reader = createClient({ url: harness.url, fetch: forQuery.fetch, batch: false });
    expect((await reader.models.list.query()).models.length).toBeGreaterThan(0);
    expect(forQuery.calls).toHaveLength(2);

    const forMutation = flakyFetch(1);
    const writer = createClient({ url: harness.url, fetch: forMutation.fetch, batch: false });
    const error = (await writer.embed
      .mutate({ texts: ['once'] })
      .catch((caught: unknown) => caught)) as MlrpcError;
    expect(error.retryAfterSeconds).toBeUndefined();
    expect(error.httpStatus).toBe(503);
    expect(forMutation.calls).toHaveLength(1);
  });

  it('waits for a job with progress, and returns it finished with its result', async () => {
    const texts = glosses.slice(0, 700);
    const job = await harness.client.jobs.submit.mutate({ kind: 'embed', input: { texts } });
    const progress: number[] = [];
    const done = await waitForJob(harness.client, job.id, {
      onProgress: (value) => progress.push(value),
    });
    expect(done.status).toBe('completed');
    expect(done.result && 'embeddings' in done.result ? done.result.embeddings : []).toHaveLength(
      700,
    );
    expect(progress.some((value) => value > 0 && value < 1)).toBe(true);
    expect(progress.at(-1)).toBe(1);
  });

  it('stops waiting when its signal aborts', async () => {
    const job = await harness.client.jobs.submit.mutate({
      kind: 'embed',
      input: { texts: glosses.slice(0, 2_000) },
    });
    const controller = new AbortController();
    // The same helper as a method of the client.
    const waiting = harness.client.waitForJob(job.id, { signal: controller.signal });
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(MlrpcError);
  });
});
