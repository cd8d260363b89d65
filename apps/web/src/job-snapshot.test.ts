import type { Job } from '@mlrpc/client';
import { describe, expect, it } from 'vitest';
import { isCurrentSnapshot } from './job-snapshot.js';

const job = (changes: Partial<Job>): Job => ({
  id: 'job-1',
  kind: 'embed',
  status: 'running',
  progress: 0.5,
  priority: 5,
  createdAt: 0,
  startedAt: 1,
  finishedAt: null,
  attempts: 1,
  result: null,
  resultPage: null,
  error: null,
  ...changes,
});

describe('isCurrentSnapshot', () => {
  it('takes anything for a job not shown yet, and later progress', () => {
    expect(isCurrentSnapshot(undefined, job({}))).toBe(true);
    expect(isCurrentSnapshot(job({ progress: 0.5 }), job({ progress: 0.6 }))).toBe(true);
    expect(isCurrentSnapshot(job({ progress: 0.5 }), job({ progress: 0.5 }))).toBe(true);
  });

  it('refuses an older snapshot: less progress, or an earlier status', () => {
    expect(isCurrentSnapshot(job({ progress: 0.6 }), job({ progress: 0.4 }))).toBe(false);
    expect(isCurrentSnapshot(job({ status: 'completed', progress: 1 }), job({}))).toBe(false);
    expect(isCurrentSnapshot(job({}), job({ status: 'queued', progress: 0 }))).toBe(false);
  });

  it('takes a retry, which starts again from queued with one more attempt', () => {
    expect(
      isCurrentSnapshot(
        job({ progress: 0.7 }),
        job({ status: 'queued', progress: 0, attempts: 2 }),
      ),
    ).toBe(true);
  });
});
