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

  it('exits cleanly on SIGTERM while a generation is streaming', async () => {
    const server = await startServerProcess({ SHUTDOWN_GRACE_MS: '1500' });
    const client = createClient({ url: server.url });
    let deltas = 0;
    const subscription = client.chat.stream.subscribe(
      { model: 'llama-random', messages: [{ role: 'user', content: 'Go on.' }], maxTokens: 4000 },
      { onData: ({ data }) => (deltas += data.type === 'delta' ? 1 : 0), onError: () => undefined },
    );
    while (deltas < 3) await new Promise((resolve) => setTimeout(resolve, 20));
    const code = await server.kill('SIGTERM');
    subscription.unsubscribe();
    // 0, not a native abort (134) from ending a worker thread inside onnxruntime.
    expect(code).toBe(0);
  });
});
