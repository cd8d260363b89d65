/** The middle value: benchmarks report the median of several runs, robust to one bad run. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2;
}

/** The value below which `fraction` of the samples fall (nearest rank). */
export function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

/** Runs a measurement several times and keeps every result, for the median and the raw runs. */
export async function repeat<Result>(
  runs: number,
  measure: () => Promise<Result>,
): Promise<Result[]> {
  const results: Result[] = [];
  for (let run = 0; run < runs; run += 1) results.push(await measure());
  return results;
}

/** Items per second of `step` (which does `items` each time) called back to back for `seconds`. */
export async function itemsPerSecond(
  seconds: number,
  items: number,
  step: (offset: number) => Promise<unknown>,
): Promise<number> {
  let done = 0;
  const started = performance.now();
  for (let offset = 0; performance.now() - started < seconds * 1000; offset += items) {
    await step(offset);
    done += items;
  }
  return done / ((performance.now() - started) / 1000);
}
