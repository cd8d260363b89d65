import { describe, expect, it } from 'vitest';
import { similarityMatrix } from './similarity.js';

describe('similarityMatrix', () => {
  it('is 1 on the diagonal, symmetric, and scale-free', () => {
    const matrix = similarityMatrix([
      [1, 0, 0],
      [2, 2, 0],
      [0, 0, -3],
    ]);
    expect(matrix[0]?.[0]).toBeCloseTo(1);
    expect(matrix[1]?.[1]).toBeCloseTo(1);
    expect(matrix[0]?.[1]).toBeCloseTo(Math.SQRT1_2);
    expect(matrix[1]?.[0]).toBeCloseTo(Math.SQRT1_2);
    expect(matrix[0]?.[2]).toBeCloseTo(0);
  });

  it('gives -1 for opposite vectors and 0 for a zero vector', () => {
    const matrix = similarityMatrix([
      [1, 2],
      [-1, -2],
      [0, 0],
    ]);
    expect(matrix[0]?.[1]).toBeCloseTo(-1);
    expect(matrix[2]?.[0]).toBe(0);
    expect(matrix[2]?.[2]).toBe(0);
  });
});
