import { describe, expect, it } from 'vitest';
import { embedCodec, type EmbedRequest } from '../tasks/feature-extraction/embed-codec.js';
import type { EmbeddingBatch } from '../tasks/feature-extraction/embedding-model.js';
import { BatchQueue, type BatchSettings } from './batch-queue.js';
import type { BatchWorker, CallResult } from './batch-worker.js';

/** A worker that records each call and answers only when the test says so. */
class ManualWorker implements BatchWorker<EmbedRequest, EmbeddingBatch> {
  isAlive = true;
  readonly capacity = 1;
  running = 0;
  readonly calls: Array<{ call: EmbedRequest; finish: () => void }> = [];

  call(call: EmbedRequest): Promise<CallResult<EmbeddingBatch>> {
    return new Promise((resolve) => {
      const { texts } = call;
      // Each text becomes a one-dimensional "vector" holding its length, so results are checkable.
      const finish = () =>
        resolve({
          result: {
            data: Float32Array.from(texts.map((text) => text.length)),
            dimension: 1,
            tokens: texts.map(() => 1),
          },
          inferenceTimeMs: 1,
        });
      this.calls.push({ call, finish });
    });
  }
}

const settings: BatchSettings = {
  maxBatchSize: 4,
  maxQueueDelayMs: 0,
  maxQueueSize: 3,
  timeoutMs: 10_000,
};
const texts = (list: string[]): EmbedRequest => ({ texts: list });
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

function queueWith(overrides: Partial<BatchSettings> = {}) {
  const worker = new ManualWorker();
  const batches: number[] = [];
  const queue = new BatchQueue(
    embedCodec,
    { ...settings, ...overrides },
    () => [worker],
    (items) => batches.push(items),
  );
  return { worker, queue, batches };
}

describe('BatchQueue', () => {
  it('runs the first request at once and batches the ones that waited, each caller getting its own rows', async () => {
    const { worker, queue, batches } = queueWith({ maxQueueSize: 10 });
    const first = queue.submit(texts(['a']));
    const waiting = [
      queue.submit(texts(['bb', 'ccc'])),
      queue.submit(texts(['dddd'])),
      queue.submit(texts(['eeeee'])),
      queue.submit(texts(['ffffff'])),
    ];
    expect(worker.calls).toHaveLength(1);
    worker.calls[0]?.finish();
    expect(Array.from((await first).response.data)).toEqual([1]);
    await tick();
    // maxBatchSize counts items: 2 + 1 + 1 texts fill the batch, the fourth request waits.
    expect(batches).toEqual([1, 4]);
    worker.calls[1]?.finish();
    await tick();
    expect(batches).toEqual([1, 4, 1]);
    worker.calls[2]?.finish();
    const [two, four, five, six] = await Promise.all(waiting);
    expect(Array.from(two?.response.data ?? [])).toEqual([2, 3]);
    expect(two?.execution.batchSize).toBe(4);
    expect(Array.from(four?.response.data ?? [])).toEqual([4]);
    expect(Array.from(five?.response.data ?? [])).toEqual([5]);
    expect(Array.from(six?.response.data ?? [])).toEqual([6]);
    expect(six?.execution.batchSize).toBe(1);
  });

  it('refuses requests beyond maxQueueSize with QUEUE_FULL and a retry hint', async () => {
    const { worker, queue } = queueWith();
    const running = queue.submit(texts(['running']));
    const queued = [
      queue.submit(texts(['1'])),
      queue.submit(texts(['2'])),
      queue.submit(texts(['3'])),
    ];
    await expect(queue.submit(texts(['4']))).rejects.toMatchObject({
      code: 'QUEUE_FULL',
      retryAfterSeconds: 1,
    });
    expect(queue.depth).toBe(3);
    queue.close(new Error('done') as never);
    worker.calls[0]?.finish();
    await Promise.allSettled([running, ...queued]);
  });

  it('bases Retry-After on how fast the queue has been draining, not on model time alone', async () => {
    const { worker, queue } = queueWith({ maxBatchSize: 1, maxQueueSize: 40 });
    const calls = Array.from({ length: 41 }, (_, index) => queue.submit(texts([String(index)])));
    // The model reports 1 ms per item, but the calls come out one per 50 ms (20/s).
    for (let finished = 0; finished < 6; finished += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      worker.calls[finished]?.finish();
      await tick();
    }
    while (queue.depth < 40) calls.push(queue.submit(texts(['refill'])));
    const refused = await queue.submit(texts(['one too many'])).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'QUEUE_FULL' });
    // 40 waiting at about 20/s: about 2 s (a busy machine drains slower, so allow for more).
    const seconds = (refused as { retryAfterSeconds: number }).retryAfterSeconds;
    expect(seconds).toBeGreaterThanOrEqual(2);
    expect(seconds).toBeLessThanOrEqual(8);
    queue.close(new Error('done') as never);
    for (const call of worker.calls) call.finish();
    await Promise.allSettled(calls);
  });

  it('drops a request whose caller aborts while it waits, so it never reaches the worker', async () => {
    const { worker, queue } = queueWith();
    const running = queue.submit(texts(['running']));
    const controller = new AbortController();
    const abandoned = queue.submit(texts(['abandoned']), controller.signal);
    const kept = queue.submit(texts(['kept']));
    controller.abort();
    await expect(abandoned).rejects.toMatchObject({ code: 'CANCELLED' });
    worker.calls[0]?.finish();
    await running;
    await tick();
    expect(worker.calls[1]?.call).toEqual({ texts: ['kept'] });
    worker.calls[1]?.finish();
    await kept;
  });

  it('fails a request that waits past its deadline with TIMEOUT', async () => {
    const { worker, queue } = queueWith({ timeoutMs: 30 });
    // The running call passes its deadline too: its caller is answered even though the worker is not.
    const running = expect(queue.submit(texts(['running']))).rejects.toMatchObject({
      code: 'TIMEOUT',
    });
    await expect(queue.submit(texts(['late']))).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(queue.depth).toBe(0);
    await running;
    worker.calls[0]?.finish();
  });

  it('never delays a lone caller, but under load holds a partial batch up to maxQueueDelayMs', async () => {
    const { worker, queue, batches } = queueWith({ maxQueueDelayMs: 40, maxQueueSize: 10 });
    const lone = queue.submit(texts(['a']));
    expect(batches).toEqual([1]);
    const burst = [
      queue.submit(texts(['b'])),
      queue.submit(texts(['c'])),
      queue.submit(texts(['d'])),
    ];
    worker.calls[0]?.finish();
    await lone;
    await tick();
    expect(batches).toEqual([1, 3]);
    worker.calls[1]?.finish();
    await Promise.all(burst);
    const late = [queue.submit(texts(['e']))];
    await tick();
    expect(batches).toEqual([1, 3]);
    late.push(queue.submit(texts(['f'])));
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(batches).toEqual([1, 3, 2]);
    worker.calls[2]?.finish();
    await Promise.all(late);
  });
});
