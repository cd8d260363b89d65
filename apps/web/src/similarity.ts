/**
 * Cosine similarity of every pair of vectors, computed in the browser so the heat map needs one
 * embed call; vectors need not be normalized (a zero vector is similar to nothing).
 */
export function similarityMatrix(vectors: readonly (readonly number[])[]): number[][] {
  const norms = vectors.map((vector) => Math.hypot(...vector));
  return vectors.map((left, row) =>
    vectors.map((right, column) => {
      const scale = (norms[row] ?? 0) * (norms[column] ?? 0);
      if (scale === 0) return 0;
      let dot = 0;
      for (let index = 0; index < left.length; index += 1) {
        dot += (left[index] ?? 0) * (right[index] ?? 0);
      }
      return dot / scale;
    }),
  );
}
