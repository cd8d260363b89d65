import { describe, expect, it } from 'vitest';
import { DrainRate } from './drain-rate.js';

describe('DrainRate', () => {
  it('measures items per second at the exit, over the last ten seconds', () => {
    const rate = new DrainRate();
    expect(rate.perSecond(0)).toBeUndefined();
    // Batches of 32 every 200 ms: 160 items/s.
    for (let at = 0; at <= 2_000; at += 200) rate.record(32, at);
    expect(rate.perSecond(2_000)).toBeCloseTo(160, 5);
    // Slower now; the old completions leave the window.
    for (let at = 2_500; at <= 14_000; at += 500) rate.record(8, at);
    expect(rate.perSecond(14_000)).toBeCloseTo(16, 5);
  });
});
