import { describe, expect, it } from 'vitest';
import { lengthSortedGroups } from './text-batches.js';

describe('lengthSortedGroups', () => {
  it('sorts rows by length and cuts groups at the padded-token budget', () => {
    const lengths = [10, 3, 8, 3, 10, 4];
    const groups = lengthSortedGroups(lengths, { maxTokens: 20, maxRows: 8 });
    // 3,3,4,4... : three rows of up to 4 tokens fit 20; the 8 and the 10s go in pairs or alone.
    expect(groups).toEqual([[1, 3, 5], [2, 0], [4]]);
    for (const group of groups) {
      const longest = Math.max(...group.map((index) => lengths[index] ?? 0));
      expect(group.length * longest).toBeLessThanOrEqual(20);
    }
    expect(groups.flat().sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('caps rows per group and never leaves a row out, even one longer than the budget', () => {
    expect(lengthSortedGroups([2, 2, 2, 2, 2], { maxTokens: 1_000, maxRows: 2 })).toEqual([
      [0, 1],
      [2, 3],
      [4],
    ]);
    expect(lengthSortedGroups([500], { maxTokens: 100, maxRows: 8 })).toEqual([[0]]);
  });
});
