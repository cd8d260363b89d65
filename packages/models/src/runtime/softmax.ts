/** Probabilities from one row of logits, computed stably (the largest logit subtracted first). */
export function softmax(logits: ArrayLike<number>): number[] {
  const values = Array.from(logits);
  const top = Math.max(...values);
  const exponents = values.map((logit) => Math.exp(logit - top));
  const sum = exponents.reduce((total, value) => total + value, 0);
  return exponents.map((value) => value / sum);
}
