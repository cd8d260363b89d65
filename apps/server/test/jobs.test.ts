import { waitForJob, type RouterOutputs } from '@mlrpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectApiError } from './support/expect-api-error.js';
import { settledValue } from './support/settled-value.js';
import { readGlosses } from './support/glosses.js';
import { startTestServer, type TestServer } from './support/test-server.js';

type Job = RouterOutputs['jobs']['get'];

let harness: TestServer;
let glosses: string[];
beforeAll(async () => {
  harness = await startTestServer({ JOBS_CONCURRENCY: '1' });
  await harness.client.models.load.mutate({ id: 'llama-random' });
  glosses = await readGlosses();
});
afterAll(() => harness.close());

const long = {
  model: 'llama-random',
  messages: [{ role: 'user' as const, content: 'Ramble.' }],
  maxTokens: 4000,
};

/** Every snapshot the watch subscription sends, until the job finishes. */
function watchJob(jobId: string, lastEventId?: string): Promise<Array<{ id: string; job: Job }>> {
  return new Promise((resolve, reject) => {
    const seen: Array<{ id: string; job: Job }> = [];
    const subscription = harness.client.jobs.watch.subscribe(
      { jobId, ...(lastEventId ? { lastEventId } : {}) },
      {
        onData: ({ id, data }) => {
          seen.push({ id, job: data });
          if (['completed', 'failed', 'cancelled'].includes(data.status)) {
            subscription.unsubscribe();
            resolve(seen);
          }
        },
        onError: reject,
      },
    );
  });
}

async function until(
  jobId: string,
  status: Job['status'],
  also: (job: Job) => boolean = () => true,
): Promise<Job> {
  for (;;) {
    const job = await harness.client.jobs.get.query({ jobId });
    if (job.status === status && also(job)) return job;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('jobs (embedded backend)', () => {
  it('runs a large embed job in batches, streaming progress and then the result', async () => {
    const texts = Array.from(
      { length: 2000 },
      (_, index) => glosses[index % glosses.length] ?? 'x',
    );
    const submitted = await harness.client.jobs.submit.mutate({ kind: 'embed', input: { texts } });
    expect(submitted).toMatchObject({ kind: 'embed', status: 'queued', progress: 0 });
    const snapshots = await watchJob(submitted.id);
    const progress = snapshots.map((snapshot) => snapshot.job.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(new Set(progress.filter((value) => value > 0 && value < 1)).size).toBeGreaterThanOrEqual(
      5,
    );
    const done = snapshots.at(-1)?.job;
    expect(done).toMatchObject({ status: 'completed', progress: 1, attempts: 1 });
    // The watch's last snapshot carries the first page of rows; jobs.get pages the rest.
    expect(done?.resultPage).toEqual({ offset: 0, count: 1000, total: 2000 });
    expect((done?.result as RouterOutputs['embed']).embeddings).toHaveLength(1000);
    const rest = await harness.client.jobs.get.query({
      jobId: submitted.id,
      resultOffset: 1000,
      resultLimit: 5000,
    });
    expect(rest.resultPage).toEqual({ offset: 1000, count: 1000, total: 2000 });
    const result = rest.result as RouterOutputs['embed'];
    const live = await harness.client.embed.mutate({ texts: [texts[1999] ?? ''] });
    expect(result.embeddings[999]?.[0]).toBeCloseTo(live.embeddings[0]?.[0] ?? 0, 5);
    // The typed client's waitForJob joins the pages: the whole result, as computed.
    const whole = await waitForJob(harness.client, submitted.id);
    expect((whole.result as RouterOutputs['embed']).embeddings).toHaveLength(2000);
    expect(
      (await harness.client.jobs.list.query({})).jobs.every((job) => job.result === null),
    ).toBe(true);
  });

  it('resumes a watch after the last event it saw', async () => {
    const job = await harness.client.jobs.submit.mutate({
      kind: 'embed',
      input: { texts: glosses.slice(0, 600) },
    });
    const all = await watchJob(job.id);
    const later = await watchJob(job.id, all[1]?.id);
    expect(later.map((snapshot) => snapshot.id)).toEqual([all.at(-1)?.id]);
  });

  it('cancels a running job, and its work stops', async () => {
    const tokens = async () =>
      (await harness.client.models.get.query({ id: 'llama-random' })).models[0]?.stats
        .generatedTokens ?? 0;
    const before = await tokens();
    const job = await harness.client.jobs.submit.mutate({ kind: 'chat', input: long });
    // It is generating: tokens are being counted as progress.
    await until(job.id, 'running', (current) => current.progress > 0);
    const cancelled = await harness.client.jobs.cancel.mutate({ jobId: job.id });
    expect(cancelled.status).toBe('cancelled');
    const settled = await settledValue(tokens);
    expect(await tokens()).toBe(settled);
    // Stopped far short of the 4,000 tokens it asked for.
    expect(settled - before).toBeLessThan(400);
  });

  it('cancels a queued job before it starts, and runs higher priority first', async () => {
    const blocker = await harness.client.jobs.submit.mutate({ kind: 'chat', input: long });
    await until(blocker.id, 'running');
    const low = await harness.client.jobs.submit.mutate({
      kind: 'chat',
      input: { ...long, maxTokens: 5 },
      priority: 9,
    });
    const high = await harness.client.jobs.submit.mutate({
      kind: 'chat',
      input: { ...long, maxTokens: 5 },
      priority: 1,
    });
    const dropped = await harness.client.jobs.submit.mutate({ kind: 'chat', input: long });
    expect((await harness.client.jobs.cancel.mutate({ jobId: dropped.id })).status).toBe(
      'cancelled',
    );
    await harness.client.jobs.cancel.mutate({ jobId: blocker.id });
    const [lowDone, highDone] = [
      await until(low.id, 'completed'),
      await until(high.id, 'completed'),
    ];
    expect(highDone.startedAt).toBeLessThanOrEqual(lowDone.startedAt ?? 0);
    expect((await harness.client.jobs.get.query({ jobId: dropped.id })).startedAt).toBeNull();
  });

  it('de-duplicates submits with the same idempotency key', async () => {
    const input = {
      kind: 'embed' as const,
      input: { texts: ['once'] },
      idempotencyKey: 'nightly-1',
    };
    const [first, second] = [
      await harness.client.jobs.submit.mutate(input),
      await harness.client.jobs.submit.mutate(input),
    ];
    expect(second.id).toBe(first.id);
  });

  it('records a failed job with our error code', async () => {
    const job = await harness.client.jobs.submit.mutate({
      kind: 'embed',
      input: { model: 'no-such-model', texts: ['x'] },
    });
    const failed = await until(job.id, 'failed');
    expect(failed.error).toMatchObject({ errorCode: 'MODEL_NOT_FOUND' });
  });

  it('lists newest first with cursor pages and a status filter', async () => {
    const page = await harness.client.jobs.list.query({ limit: 2 });
    expect(page.jobs).toHaveLength(2);
    expect(page.jobs[0]?.createdAt).toBeGreaterThanOrEqual(page.jobs[1]?.createdAt ?? 0);
    const next = await harness.client.jobs.list.query({ limit: 2, cursor: page.nextCursor ?? '' });
    expect(next.jobs[0]?.id).not.toBe(page.jobs[1]?.id);
    const cancelled = await harness.client.jobs.list.query({ status: 'cancelled', limit: 100 });
    expect(cancelled.jobs.length).toBeGreaterThanOrEqual(2);
    expect(cancelled.jobs.every((job) => job.status === 'cancelled')).toBe(true);
  });

  it('answers bad input and unknown jobs with our codes', async () => {
    await expectApiError(
      harness.client.jobs.submit.mutate({ kind: 'embed', input: { texts: [] } }),
      {
        code: 'BAD_REQUEST',
        httpStatus: 400,
        errorCode: 'INVALID_INPUT',
      },
    );
    await expectApiError(harness.client.jobs.get.query({ jobId: 'nope' }), {
      code: 'NOT_FOUND',
      httpStatus: 404,
      errorCode: 'NOT_FOUND',
    });
  });
});
