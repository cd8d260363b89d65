import { describe, expect, it } from 'vitest';
import { parseEnv } from './env.js';

describe('worker parseEnv', () => {
  it('requires Redis: a worker has nothing to consume without it', () => {
    expect(() => parseEnv({})).toThrow(/invalid environment:\n {2}REDIS_URL: /);
  });

  it('reads the same settings as the server, with the same defaults', () => {
    expect(parseEnv({ REDIS_URL: 'redis://127.0.0.1:6379' })).toMatchObject({
      MODELS_CONFIG: 'config/models.json',
      JOBS_CONCURRENCY: 1,
      JOBS_LOCK_MS: 30_000,
      REDIS_PREFIX: 'mlrpc',
    });
  });
});
