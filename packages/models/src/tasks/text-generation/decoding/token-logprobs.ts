import type { TokenLogprob } from '@mlrpc/schema';

/** A token's text and its UTF-8 bytes, as OpenAI reports both. */
function described(texts: readonly string[], id: number): { token: string; bytes: number[] } {
  const token = texts[id] ?? '';
  return { token, bytes: [...Buffer.from(token, 'utf8')] };
}

/**
 * The chosen token's log-probability and the `top` most likely alternatives, from the logits
 * the token was picked from (after any JSON mask, before temperature): one pass for the
 * normalizer, one for the top entries.
 */
export function tokenLogprob(
  logits: Float32Array,
  chosen: number,
  top: number,
  texts: readonly string[],
): TokenLogprob {
  let max = Number.NEGATIVE_INFINITY;
  for (let index = 0; index < logits.length; index += 1) {
    const value = logits[index] as number;
    if (value > max) max = value;
  }
  let sum = 0;
  for (let index = 0; index < logits.length; index += 1) {
    sum += Math.exp((logits[index] as number) - max);
  }
  const normalizer = max + Math.log(sum);
  const logprob = (id: number) => Math.max((logits[id] as number) - normalizer, -9999);
  const best: number[] = [];
  if (top > 0) {
    let floor = Number.NEGATIVE_INFINITY;
    for (let index = 0; index < logits.length; index += 1) {
      const value = logits[index] as number;
      if (value === Number.NEGATIVE_INFINITY || (best.length === top && value <= floor)) continue;
      let at = best.length;
      while (at > 0 && (logits[best[at - 1] as number] as number) < value) at -= 1;
      best.splice(at, 0, index);
      if (best.length > top) best.pop();
      floor = logits[best.at(-1) as number] as number;
    }
  }
  return {
    ...described(texts, chosen),
    logprob: logprob(chosen),
    topLogprobs: best.map((id) => ({ ...described(texts, id), logprob: logprob(id) })),
  };
}
