/** How far back completions count: long enough to smooth batches, short enough to follow load. */
const windowMs = 10_000;

/**
 * Items a queue finished per second, measured at its exit over the last few seconds: what an
 * honest Retry-After divides the backlog by (model time alone leaves out batching waits, the
 * main thread and transfers, and misjudged a 26 s drain as 1 s or as 110 s).
 */
export class DrainRate {
  private readonly completions: Array<{ at: number; items: number }> = [];

  record(items: number, at = performance.now()): void {
    this.completions.push({ at, items });
    this.prune(at);
  }

  /** Items per second, or undefined until two completions fall inside the window. */
  perSecond(now = performance.now()): number | undefined {
    this.prune(now);
    const [first, ...rest] = this.completions;
    const last = rest.at(-1);
    if (!first || !last || last.at <= first.at) return undefined;
    // The first completion opens the window; the items after it took the time in between.
    const items = rest.reduce((sum, completion) => sum + completion.items, 0);
    return (items / (last.at - first.at)) * 1000;
  }

  private prune(now: number): void {
    while ((this.completions[0]?.at ?? now) < now - windowMs) this.completions.shift();
  }
}
