import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedRoot } from './support/paths.js';
import { startTestServer, type TestServer } from './support/test-server.js';

let harness: TestServer;
beforeAll(async () => {
  harness = await startTestServer();
  await harness.client.models.load.mutate({ id: 'llama-random' });
});
afterAll(() => harness.close());

interface EvalRow {
  split: 'train' | 'heldout';
  messages: Array<{ role: 'user'; content: string }>;
  model_greedy: string;
}

async function trainingPrompts(count: number): Promise<EvalRow[]> {
  const text = await readFile(path.join(sharedRoot, 'data/wordnet-chat/eval.jsonl'), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as EvalRow)
    .filter((row) => row.split === 'train')
    .slice(0, count);
}

const running = async (model: string) =>
  (await harness.client.models.get.query({ id: model })).models[0]?.running ?? 0;

/** Streams one chat turn, recording each delta and when it came; `stop` ends it early. */
function stream(input: Parameters<TestServer['client']['chatStream']>[0], signal?: AbortSignal) {
  const deltas: Array<{ text: string; at: number }> = [];
  const done = (async () => {
    let finishReason = '';
    for await (const event of harness.client.chatStream(input, signal ? { signal } : {})) {
      if (event.type === 'delta') deltas.push({ text: event.text, at: performance.now() });
      if (event.type === 'end') finishReason = event.finishReason;
    }
    return { text: deltas.map((delta) => delta.text).join(''), finishReason };
  })();
  return { deltas, done };
}

describe('continuous batching of chat generations', () => {
  it('gives each of 16 concurrent greedy streams exactly the text it gets alone', async () => {
    const rows = await trainingPrompts(16);
    const alone: string[] = [];
    for (const row of rows) {
      alone.push((await harness.client.chat.complete.mutate({ messages: row.messages })).text);
    }
    // The trained answers, as the model card says: a check that the lone runs are the real ones.
    expect(alone).toEqual(rows.map((row) => row.model_greedy));
    let busiest = 0;
    const watching = setInterval(() => {
      void running('wordnet-chat').then((count) => (busiest = Math.max(busiest, count)));
    }, 5);
    const together = await Promise.all(rows.map((row) => stream({ messages: row.messages }).done));
    clearInterval(watching);
    expect(together.map((result) => result.text)).toEqual(alone);
    expect(together.every((result) => result.finishReason === 'stop')).toBe(true);
    // They really ran side by side in the model's worker, not one after another.
    expect(busiest).toBeGreaterThan(1);
  });

  it('stops one stream on cancel while the others keep streaming', async () => {
    const long = {
      model: 'llama-random',
      messages: [{ role: 'user' as const, content: 'Go on.' }],
      maxTokens: 4000,
    };
    const controllers = Array.from({ length: 4 }, () => new AbortController());
    const streams = controllers.map((controller) => stream(long, controller.signal));
    await expect.poll(() => streams.every((one) => one.deltas.length >= 3)).toBe(true);
    controllers[0]?.abort();
    await streams[0]?.done;
    const afterCancel = streams.map((one) => one.deltas.length);
    await expect
      .poll(() =>
        streams
          .slice(1)
          .every((one, index) => one.deltas.length > (afterCancel[index + 1] ?? 0) + 20),
      )
      .toBe(true);
    expect(streams[0]?.deltas.length).toBe(afterCancel[0]);
    await expect.poll(() => running('llama-random')).toBe(3);
    for (const controller of controllers) controller.abort();
    await Promise.all(streams.map((one) => one.done));
    await expect.poll(() => running('llama-random')).toBe(0);
  });

  it('lets a stream join a running batch and start at once, while the others go on', async () => {
    const long = {
      model: 'llama-random',
      messages: [{ role: 'user' as const, content: 'Go on.' }],
      maxTokens: 4000,
    };
    const controller = new AbortController();
    const streams = Array.from({ length: 6 }, () => stream(long, controller.signal));
    await expect.poll(() => streams.every((one) => one.deltas.length >= 5)).toBe(true);
    const before = streams.map((one) => one.deltas.length);
    const joined = performance.now();
    const newcomer = stream({ ...long, maxTokens: 20 });
    const result = await newcomer.done;
    expect(result.finishReason).toBe('length');
    // The newcomer streamed its whole answer while the others were still mid-way through theirs.
    const others = streams.map((one) => one.deltas.length);
    expect(others.every((count, index) => count > (before[index] ?? 0))).toBe(true);
    expect((newcomer.deltas[0]?.at ?? Infinity) - joined).toBeLessThan(5_000);
    controller.abort();
    await Promise.all(streams.map((one) => one.done));
  });
});
