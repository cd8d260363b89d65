import { describe, expect, it } from 'vitest';
import { KeyValueBatch } from './key-value-batch.js';

/** A one-row cache of `length` positions whose values say (head, position): 10 * head + position. */
function rowCache(length: number, heads = 2, size = 1): Map<string, Float32Array> {
  const data = new Float32Array(heads * length * size);
  for (let head = 0; head < heads; head += 1)
    for (let position = 0; position < length; position += 1)
      data[head * length + position] = 10 * head + position + 1;
  return new Map([['past_key_values.0.key', data]]);
}

const rowsOf = (batch: KeyValueBatch) => {
  const data = batch.values.get('past_key_values.0.key') ?? new Float32Array();
  return Array.from({ length: batch.rows }, (_, row) =>
    Array.from({ length: 2 }, (_, head) =>
      Array.from(
        data.subarray((row * 2 + head) * batch.length, (row * 2 + head + 1) * batch.length),
      ),
    ),
  );
};

describe('KeyValueBatch', () => {
  it('left-pads rows of different lengths and masks the padding', () => {
    const batch = new KeyValueBatch(['past_key_values.0.key'], 2, 1);
    batch.add(rowCache(2), 2);
    batch.add(rowCache(4), 4);
    expect(batch.length).toBe(4);
    expect(rowsOf(batch)).toEqual([
      [
        [0, 0, 1, 2],
        [0, 0, 11, 12],
      ],
      [
        [1, 2, 3, 4],
        [11, 12, 13, 14],
      ],
    ]);
    expect(Array.from(batch.stepMask(), Number)).toEqual([0, 0, 1, 1, 1, 1, 1, 1, 1, 1]);
  });

  it('drops finished rows and trims the padding no row needs any more', () => {
    const batch = new KeyValueBatch(['past_key_values.0.key'], 2, 1);
    batch.add(rowCache(2), 2);
    batch.add(rowCache(5), 5);
    batch.add(rowCache(3), 3);
    batch.remove(new Set([1]));
    expect(batch.lengths).toEqual([2, 3]);
    expect(batch.length).toBe(3);
    expect(rowsOf(batch)).toEqual([
      [
        [0, 1, 2],
        [0, 11, 12],
      ],
      [
        [1, 2, 3],
        [11, 12, 13],
      ],
    ]);
    batch.remove(new Set([0, 1]));
    expect(batch.rows).toBe(0);
    expect(batch.length).toBe(0);
  });
});
