import { describe, expect, it } from 'vitest';
import { describeJobBackendContract, embedJob, ManualProcessor } from '../job-backend-contract.js';
import { EmbeddedJobBackend } from './embedded-job-backend.js';

const options = { concurrency: 1, maxQueued: 3, retentionMs: 60_000 };

describeJobBackendContract('EmbeddedJobBackend', (processor) =>
  Promise.resolve(new EmbeddedJobBackend(processor, options)),
);

describe('EmbeddedJobBackend', () => {
  it('refuses jobs beyond maxQueued with QUEUE_FULL and a retry hint', async () => {
    const processor = new ManualProcessor();
    const backend = new EmbeddedJobBackend(processor.process, options);
    await backend.submit('alice', embedJob('running'));
    for (const text of ['1', '2', '3']) await backend.submit('alice', embedJob(text));
    await expect(backend.submit('alice', embedJob('4'))).rejects.toMatchObject({
      code: 'QUEUE_FULL',
      retryAfterSeconds: 5,
    });
    await backend.close();
  });

  it('bounds the bytes waiting jobs hold, not just their count', async () => {
    const processor = new ManualProcessor();
    const backend = new EmbeddedJobBackend(processor.process, {
      ...options,
      maxQueued: 100,
      maxQueuedBytes: 1_000,
    });
    const text = (fill: string) => fill.repeat(400);
    await backend.submit('alice', embedJob(text('r'))); // runs at once: not waiting
    const first = await backend.submit('alice', embedJob(text('a')));
    await backend.submit('alice', embedJob(text('b')));
    await expect(backend.submit('alice', embedJob(text('c')))).rejects.toMatchObject({
      code: 'QUEUE_FULL',
      message: expect.stringMatching(/bytes of input/) as string,
    });
    // A waiting job that leaves frees its bytes.
    await backend.cancel('alice', first.id);
    await expect(backend.submit('alice', embedJob(text('c')))).resolves.toMatchObject({
      status: 'queued',
    });
    await backend.close();
  });

  it('forgets finished jobs after the retention time', async () => {
    const processor = new ManualProcessor();
    const backend = new EmbeddedJobBackend(processor.process, { ...options, retentionMs: 30 });
    const job = await backend.submit('alice', embedJob('short-lived'));
    await backend.cancel('alice', job.id);
    await new Promise((resolve) => setTimeout(resolve, 60));
    await expect(backend.get('alice', job.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await backend.close();
  });
});
