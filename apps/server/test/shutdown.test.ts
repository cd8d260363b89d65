import { createClient } from '@mlrpc/client';
import { describe, expect, it } from 'vitest';
import { startServerProcess } from './support/server-process.js';

describe('the server process', () => {
  it('starts from its env, serves, and exits cleanly on SIGTERM', async () => {
    const server = await startServerProcess();
    const live = await fetch(`${server.url}/health/live`);
    expect(live.status).toBe(200);
    expect(await server.kill('SIGTERM')).toBe(0);
    expect(server.logs.some((entry) => entry.msg === 'shutting down')).toBe(true);
    await expect(fetch(`${server.url}/health/live`)).rejects.toThrow();
  });
});

describe('shutdown during inference', () => {
  it('exits cleanly on SIGTERM while a long inference outlasts the grace period', async () => {
    const server = await startServerProcess({ SHUTDOWN_GRACE_MS: '200' });
    const client = createClient({ url: server.url });
    await client.models.load.mutate({ id: 'minilm-bench' });
    const sentence = 'the river keeps flowing to the sea while the fox jumps over the dog ';
    const texts = Array.from({ length: 256 }, (_, index) => `${index} ${sentence.repeat(8)}`);
    const inference = client.embed.mutate({ model: 'minilm-bench', texts }).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 500));
    // The connection is closed after 200 ms, but the batch runs on in its worker for seconds.
    expect(await server.kill('SIGTERM')).toBe(0);
    await inference;
  });

  it('ends an open stream with a final event, and exits cleanly, when the grace period runs out', async () => {
    const server = await startServerProcess({
      SHUTDOWN_GRACE_MS: '1500',
      SHUTDOWN_DRAIN_MS: '0',
    });
    const client = createClient({ url: server.url });
    const events: string[] = [];
    let last: unknown;
    const subscription = client.chat.stream.subscribe(
      { model: 'llama-random', messages: [{ role: 'user', content: 'Go on.' }], maxTokens: 4000 },
      {
        onData: ({ data }) => {
          events.push(data.type);
          last = data;
        },
        onError: () => undefined,
      },
    );
    while (events.filter((type) => type === 'delta').length < 3) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const code = await server.kill('SIGTERM');
    subscription.unsubscribe();
    // 0, not a native abort (134) from ending a worker thread inside onnxruntime.
    expect(code).toBe(0);
    expect(last).toMatchObject({ type: 'error', errorCode: 'SHUTTING_DOWN' });
  });
});

describe('shutdown under load', () => {
  it('fails no request the server took in: each gets its answer, the rest a clean refusal', async () => {
    const server = await startServerProcess({
      SHUTDOWN_DRAIN_MS: '500',
      SHUTDOWN_GRACE_MS: '10000',
    });
    const answered = new Map<string, number>();
    const unanswered = new Map<string, string>();
    let stopped = false;
    let next = 0;
    const caller = async () => {
      while (!stopped) {
        const requestId = `load-${(next += 1)}`;
        try {
          const response = await fetch(`${server.url}/trpc/embed`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-request-id': requestId },
            body: JSON.stringify({ json: { texts: ['the fox jumps over the lazy dog'] } }),
          });
          await response.arrayBuffer();
          answered.set(requestId, response.status);
        } catch (error) {
          const code = (error as { cause?: { code?: string } }).cause?.code ?? 'unknown';
          unanswered.set(requestId, code);
          if (code === 'ECONNREFUSED') return;
        }
      }
    };
    const callers = Array.from({ length: 16 }, () => caller());
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const answeredBefore = answered.size;
    expect(await server.kill('SIGTERM')).toBe(0);
    stopped = true;
    await Promise.all(callers);

    // Every request the server received (it logs each one it took in) was answered with 200.
    const received = new Map(
      server.logs
        .filter((entry) => entry.req?.id?.startsWith('load-'))
        .map((entry) => [entry.req?.id ?? '', entry.res?.statusCode]),
    );
    expect([...received.values()].every((status) => status === 200)).toBe(true);
    for (const [requestId, status] of answered) {
      expect(status).toBe(200);
      expect(received.has(requestId)).toBe(true);
    }
    // What failed on the client never reached the server: refused or reset before it was read
    // (a connection still in the kernel's queue when the port closed), never cut mid-request.
    const cut = [...unanswered.keys()].filter((requestId) => received.has(requestId));
    expect(cut).toEqual([]);
    expect(answered.size).toBeGreaterThan(answeredBefore);
  });
});
