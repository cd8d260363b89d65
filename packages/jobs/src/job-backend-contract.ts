import type { Job, JobResult, JobSubmission } from '@mlrpc/schema';
import { describe, expect, it } from 'vitest';
import type { JobBackend, JobContext, JobProcessor } from './job-backend.js';

/** A processor the tests drive by hand: each job waits until the test finishes or fails it. */
export class ManualProcessor {
  readonly running = new Map<
    string,
    { context: JobContext; finish: (result: JobResult) => void; fail: (error: Error) => void }
  >();

  readonly process: JobProcessor = (submission, context) =>
    new Promise<JobResult>((resolve, reject) => {
      const key = submission.kind === 'embed' ? (submission.input.texts[0] ?? '') : submission.kind;
      this.running.set(key, { context, finish: resolve, fail: reject });
      context.signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
    });
}

export const embedJob = (text: string, extra: Partial<JobSubmission> = {}): JobSubmission =>
  ({ kind: 'embed', input: { texts: [text] }, priority: 5, ...extra }) as JobSubmission;

export const fakeResult = (text: string): JobResult => ({
  model: 'm',
  version: '1',
  inferenceTimeMs: 1,
  queueTimeMs: 0,
  batchSize: 1,
  embeddings: [[text.length]],
  dimension: 1,
  usage: { promptTokens: 1 },
});

async function until(
  backend: JobBackend,
  owner: string,
  jobId: string,
  status: Job['status'],
  also: (job: Job) => boolean = () => true,
): Promise<Job> {
  for (let tries = 0; tries < 500; tries += 1) {
    const job = await backend.get(owner, jobId);
    if (job.status === status && also(job)) return job;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`job ${jobId} never reached ${status}`);
}

async function eventually(check: () => boolean): Promise<void> {
  for (let tries = 0; tries < 500 && !check(); tries += 1) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  expect(check()).toBe(true);
}

/**
 * The behaviour every JobBackend must show, whatever stores the jobs. `create` gets a processor
 * and must return a backend running one job at a time.
 */
export function describeJobBackendContract(
  name: string,
  create: (processor: JobProcessor) => Promise<JobBackend>,
): void {
  describe(`${name} (JobBackend contract)`, () => {
    it('runs a job to completion with progress and its result', async () => {
      const processor = new ManualProcessor();
      const backend = await create(processor.process);
      const job = await backend.submit('alice', embedJob('hello'));
      await until(backend, 'alice', job.id, 'running');
      await eventually(() => processor.running.has('hello'));
      processor.running.get('hello')?.context.reportProgress(0.5);
      await until(backend, 'alice', job.id, 'running', (current) => current.progress === 0.5);
      processor.running.get('hello')?.finish(fakeResult('hello'));
      const done = await until(backend, 'alice', job.id, 'completed');
      expect(done).toMatchObject({
        progress: 1,
        attempts: 1,
        result: fakeResult('hello'),
        error: null,
      });
      await backend.close();
    });

    it('gives a result a page of rows at a time, and listings none', async () => {
      const processor = new ManualProcessor();
      const backend = await create(processor.process);
      const job = await backend.submit('alice', embedJob('rows'));
      await eventually(() => processor.running.has('rows'));
      const rows = Array.from({ length: 5 }, (_, row) => [row, row + 0.5]);
      processor.running
        .get('rows')
        ?.finish({ ...fakeResult('rows'), embeddings: rows, dimension: 2 });
      const done = await until(backend, 'alice', job.id, 'completed');
      expect(done.resultPage).toEqual({ offset: 0, count: 5, total: 5 });
      const page = await backend.get('alice', job.id, { offset: 2, limit: 2 });
      expect(page.resultPage).toEqual({ offset: 2, count: 2, total: 5 });
      expect(page.result).toMatchObject({ embeddings: [rows[2], rows[3]], dimension: 2 });
      const past = await backend.get('alice', job.id, { offset: 9, limit: 2 });
      expect(past.resultPage).toEqual({ offset: 5, count: 0, total: 5 });
      const { jobs } = await backend.list('alice', { limit: 10 });
      expect(jobs.find((listed) => listed.id === job.id)).toMatchObject({
        status: 'completed',
        result: null,
        resultPage: null,
      });
      await backend.close();
    });

    it('keeps jobs to their owner: others cannot get, list, watch or cancel them', async () => {
      const processor = new ManualProcessor();
      const backend = await create(processor.process);
      const job = await backend.submit('alice', embedJob('private'));
      await expect(backend.get('bob', job.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(backend.cancel('bob', job.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      const watching = backend.watch('bob', job.id, 0, new AbortController().signal);
      await expect(watching[Symbol.asyncIterator]().next()).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      expect((await backend.list('bob', { limit: 10 })).jobs).toEqual([]);
      expect((await backend.list('alice', { limit: 10 })).jobs.map((item) => item.id)).toEqual([
        job.id,
      ]);
      await backend.close();
    });

    it('records a failure with the error code the processor gave', async () => {
      const processor = new ManualProcessor();
      const backend = await create(processor.process);
      const job = await backend.submit('alice', embedJob('doomed'));
      await until(backend, 'alice', job.id, 'running');
      await eventually(() => processor.running.has('doomed'));
      processor.running
        .get('doomed')
        ?.fail(Object.assign(new Error('no such model'), { code: 'MODEL_NOT_FOUND' }));
      const failed = await until(backend, 'alice', job.id, 'failed');
      expect(failed.error).toEqual({ errorCode: 'MODEL_NOT_FOUND', message: 'no such model' });
      await backend.close();
    });

    it('cancels queued and running jobs; the running one is told to stop', async () => {
      const processor = new ManualProcessor();
      const backend = await create(processor.process);
      const running = await backend.submit('alice', embedJob('first'));
      const queued = await backend.submit('alice', embedJob('second'));
      await until(backend, 'alice', running.id, 'running');
      expect(await backend.counts()).toMatchObject({ queued: 1, running: 1 });
      expect((await backend.cancel('alice', queued.id)).status).toBe('cancelled');
      expect((await backend.cancel('alice', running.id)).status).toBe('cancelled');
      // The worker running it may be another process: the stop reaches it shortly after.
      await eventually(() => processor.running.get('first')?.context.signal.aborted === true);
      expect(processor.running.has('second')).toBe(false);
      await backend.close();
    });

    it('returns the same job for the same idempotency key of the same owner only', async () => {
      const processor = new ManualProcessor();
      const backend = await create(processor.process);
      const key = { idempotencyKey: 'k1' };
      const first = await backend.submit('alice', embedJob('a', key));
      expect((await backend.submit('alice', embedJob('a', key))).id).toBe(first.id);
      expect((await backend.submit('bob', embedJob('a', key))).id).not.toBe(first.id);
      await backend.close();
    });

    it('watches a job through to its end, resuming after a version', async () => {
      const processor = new ManualProcessor();
      const backend = await create(processor.process);
      const job = await backend.submit('alice', embedJob('watched'));
      const seen: Array<{ version: number; status: string }> = [];
      const watching = (async () => {
        for await (const { version, job: snapshot } of backend.watch(
          'alice',
          job.id,
          0,
          new AbortController().signal,
        )) {
          seen.push({ version, status: snapshot.status });
        }
      })();
      await until(backend, 'alice', job.id, 'running');
      await eventually(() => processor.running.has('watched'));
      processor.running.get('watched')?.finish(fakeResult('watched'));
      await watching;
      expect(seen.at(-1)?.status).toBe('completed');
      const versions = seen.map((item) => item.version);
      expect(versions).toEqual([...versions].sort((a, b) => a - b));
      const resumed = [];
      for await (const snapshot of backend.watch(
        'alice',
        job.id,
        versions.at(-2) ?? 0,
        new AbortController().signal,
      )) {
        resumed.push(snapshot.version);
      }
      expect(resumed).toEqual([versions.at(-1)]);
      await backend.close();
    });
  });
}
