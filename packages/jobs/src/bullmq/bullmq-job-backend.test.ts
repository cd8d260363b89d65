import { randomUUID } from 'node:crypto';
import type { JobResult } from '@mlrpc/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  describeJobBackendContract,
  embedJob,
  fakeResult,
  ManualProcessor,
} from '../job-backend-contract.js';
import type { JobBackend, JobProcessor } from '../job-backend.js';
import { startTestRedis, type TestRedis } from '../testing/redis-server.js';
import { BullmqJobBackend } from './bullmq-job-backend.js';
import { BullmqJobWorker, type JobWorkerEvent } from './bullmq-job-worker.js';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis.stop();
});

const settings = () => ({ redisUrl: redis.url, prefix: `test-${randomUUID()}` });

function backendFor(shared: ReturnType<typeof settings>, attempts = 1): BullmqJobBackend {
  return new BullmqJobBackend({
    ...shared,
    maxQueued: 3,
    retentionMs: 60_000,
    attempts,
    backoffMs: 20,
  });
}

async function workerFor(
  shared: ReturnType<typeof settings>,
  processor: JobProcessor,
  events: JobWorkerEvent[] = [],
): Promise<BullmqJobWorker> {
  const worker = new BullmqJobWorker(processor, {
    ...shared,
    concurrency: 1,
    retentionMs: 60_000,
    lockMs: 5_000,
    onEvent: (event) => events.push(event),
  });
  await worker.start();
  return worker;
}

/** A backend plus one worker, closed together: what the contract calls "a backend". */
function together(backend: BullmqJobBackend, worker: BullmqJobWorker): JobBackend {
  return {
    submit: (owner, submission) => backend.submit(owner, submission),
    get: (owner, jobId, window) => backend.get(owner, jobId, window),
    list: (owner, query) => backend.list(owner, query),
    cancel: (owner, jobId) => backend.cancel(owner, jobId),
    watch: (owner, jobId, after, signal) => backend.watch(owner, jobId, after, signal),
    counts: () => backend.counts(),
    available: () => backend.available(),
    close: async () => {
      await worker.close();
      await backend.close();
    },
  };
}

describeJobBackendContract('BullmqJobBackend', async (processor) => {
  const shared = settings();
  return together(backendFor(shared), await workerFor(shared, processor));
});

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let tries = 0; tries < 1_000; tries += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('condition never held');
}

describe('BullmqJobBackend', () => {
  it('retries a transient failure with backoff, then succeeds', async () => {
    const shared = settings();
    const backend = backendFor(shared, 3);
    let calls = 0;
    const worker = await workerFor(shared, (submission) => {
      calls += 1;
      if (calls < 3) {
        return Promise.reject(Object.assign(new Error('worker busy'), { code: 'QUEUE_FULL' }));
      }
      return Promise.resolve(fakeResult(String(submission.kind)));
    });
    const job = await backend.submit('alice', embedJob('flaky'));
    await until(async () => (await backend.get('alice', job.id)).status === 'completed');
    expect(await backend.get('alice', job.id)).toMatchObject({ attempts: 3, error: null });
    await worker.close();
    await backend.close();
  });

  it('does not retry bad input', async () => {
    const shared = settings();
    const backend = backendFor(shared, 3);
    let calls = 0;
    const worker = await workerFor(shared, () => {
      calls += 1;
      return Promise.reject(Object.assign(new Error('no such model'), { code: 'MODEL_NOT_FOUND' }));
    });
    const job = await backend.submit('alice', embedJob('bad'));
    await until(async () => (await backend.get('alice', job.id)).status === 'failed');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(calls).toBe(1);
    expect((await backend.get('alice', job.id)).error).toEqual({
      errorCode: 'MODEL_NOT_FOUND',
      message: 'no such model',
    });
    await worker.close();
    await backend.close();
  });

  it('refuses jobs beyond maxQueued with QUEUE_FULL', async () => {
    const shared = settings();
    const backend = backendFor(shared);
    for (const text of ['1', '2', '3']) await backend.submit('alice', embedJob(text));
    await expect(backend.submit('alice', embedJob('4'))).rejects.toMatchObject({
      code: 'QUEUE_FULL',
      retryAfterSeconds: 5,
    });
    await backend.close();
  });

  it('hands a running job back to the queue when its worker shuts down; another finishes it', async () => {
    const shared = settings();
    const backend = backendFor(shared);
    const first = new ManualProcessor();
    const events: JobWorkerEvent[] = [];
    const leaving = await workerFor(shared, first.process, events);
    const job = await backend.submit('alice', embedJob('handed-over'));
    await until(async () => (await backend.get('alice', job.id)).status === 'running');
    await leaving.close();
    expect(events.map((event) => event.event)).toEqual(['started', 'requeued']);
    expect((await backend.get('alice', job.id)).status).toBe('queued');
    const second = new ManualProcessor();
    const staying = await workerFor(shared, second.process);
    await until(() => Promise.resolve(second.running.has('handed-over')));
    second.running.get('handed-over')?.finish(fakeResult('handed-over'));
    await until(async () => (await backend.get('alice', job.id)).status === 'completed');
    await staying.close();
    await backend.close();
  });

  it('keeps jobs and results across a Redis crash and restart (append-only file)', async () => {
    const shared = settings();
    const backend = backendFor(shared);
    const worker = await workerFor(shared, (submission) =>
      Promise.resolve<JobResult>(fakeResult(submission.kind)),
    );
    const done = await backend.submit('alice', embedJob('durable'));
    await until(async () => (await backend.get('alice', done.id)).status === 'completed');
    await worker.close();
    const waiting = await backend.submit('alice', embedJob('waiting'));
    await backend.close();

    await redis.kill();
    await redis.start();
    const after = backendFor(shared);
    expect(await after.get('alice', done.id)).toMatchObject({
      status: 'completed',
      result: fakeResult('embed'),
    });
    const resumed = await workerFor(shared, (submission) =>
      Promise.resolve<JobResult>(fakeResult(submission.kind)),
    );
    await until(async () => (await after.get('alice', waiting.id)).status === 'completed');
    await resumed.close();
    await after.close();
  });

  it('stores embedding results losslessly and pages an owner\u2019s list newest first', async () => {
    const shared = settings();
    const backend = backendFor(shared);
    const vector = [0.1, -0.25, 1 / 3].map(Math.fround);
    const worker = await workerFor(shared, () =>
      Promise.resolve<JobResult>({
        ...fakeResult('x'),
        embeddings: [vector, vector],
        dimension: 3,
      }),
    );
    const ids: string[] = [];
    for (const text of ['a', 'b', 'c']) {
      const job = await backend.submit('alice', embedJob(text));
      ids.push(job.id);
      await until(async () => (await backend.get('alice', job.id)).status === 'completed');
    }
    const job = await backend.get('alice', ids[0] ?? '');
    expect(job.result && 'embeddings' in job.result ? job.result.embeddings : null).toEqual([
      vector,
      vector,
    ]);
    const first = await backend.list('alice', { limit: 2 });
    expect(first.jobs.map((item) => item.id)).toEqual([ids[2], ids[1]]);
    const second = await backend.list('alice', { limit: 2, cursor: first.nextCursor ?? '' });
    expect(second).toMatchObject({ nextCursor: null });
    expect(second.jobs.map((item) => item.id)).toEqual([ids[0]]);
    expect((await backend.list('alice', { limit: 5, status: 'failed' })).jobs).toEqual([]);
    await worker.close();
    await backend.close();
  });
});

describe('BullmqJobBackend idempotency', () => {
  it('creates one job for concurrent submits with the same key', async () => {
    const shared = settings();
    const backend = new BullmqJobBackend({
      ...shared,
      maxQueued: 100,
      retentionMs: 60_000,
      attempts: 1,
      backoffMs: 20,
    });
    const jobs = await Promise.all(
      Array.from({ length: 10 }, () =>
        backend.submit('alice', embedJob('once', { idempotencyKey: 'same' })),
      ),
    );
    expect(new Set(jobs.map((job) => job.id)).size).toBe(1);
    expect((await backend.list('alice', { limit: 20 })).jobs).toHaveLength(1);
    await backend.close();
  });
});
