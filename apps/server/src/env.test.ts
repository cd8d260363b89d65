import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { envSchema, parseEnv } from './env.js';

describe('parseEnv', () => {
  it('gives every setting its documented default', () => {
    const env = parseEnv({});
    expect(env).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      MODELS_OFFLINE: false,
      JOBS_CONCURRENCY: 1,
    });
  });

  it('fails fast with one readable line per bad variable', () => {
    const bad = { PORT: 'eighty', MODELS_OFFLINE: 'maybe', REDIS_URL: 'localhost:6379' };
    expect(() => parseEnv(bad)).toThrow(/^invalid environment:\n(( {2}\w+: .*)(\n|$)){3}$/);
    expect(() => parseEnv(bad)).toThrow(/ {2}REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/);
  });

  it('is documented in .env.example, every name', () => {
    const example = readFileSync(new URL('../../../.env.example', import.meta.url), 'utf8');
    for (const name of Object.keys(envSchema.shape)) expect(example).toContain(`${name}=`);
  });
});
