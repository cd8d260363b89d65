import { describe, expect, it } from 'vitest';
import { parseRateLimitRules } from './rate-limit-rules.js';

describe('parseRateLimitRules', () => {
  it('reads per-procedure rules and a default', () => {
    expect(parseRateLimitRules('predict=10/minute, default=5/second,jobs=100/hours')).toEqual({
      predict: { points: 10, durationSeconds: 60 },
      default: { points: 5, durationSeconds: 1 },
      jobs: { points: 100, durationSeconds: 3_600 },
    });
  });

  it('treats off and nothing as no limits', () => {
    expect(parseRateLimitRules('off')).toEqual({});
    expect(parseRateLimitRules(' ')).toEqual({});
  });

  it('says what is wrong with a bad rule', () => {
    expect(() => parseRateLimitRules('predict=10/fortnight')).toThrow(
      /"predict=10\/fortnight" is not a rate limit/,
    );
    expect(() => parseRateLimitRules('predict=0/minute')).toThrow(/not a rate limit/);
  });
});
