/**
 * Streams text while watching for stop sequences: text that could be the start of a stop
 * sequence is held back until it is known not to be one, so a stop string never reaches the
 * caller, not even in part (as OpenAI-style servers do).
 */
export class StopSequenceFilter {
  private holding = '';
  private stoppedAt = false;

  constructor(private readonly stops: readonly string[]) {}

  get stopped(): boolean {
    return this.stoppedAt;
  }

  /** Text held back right now as the possible start of a stop sequence. */
  get held(): string {
    return this.holding;
  }

  /** Takes the next piece of generated text; returns what is safe to show now. */
  push(piece: string): string {
    if (this.stoppedAt) return '';
    const text = this.holding + piece;
    const cut = Math.min(
      ...this.stops.map((stop) => text.indexOf(stop)).filter((index) => index !== -1),
    );
    if (Number.isFinite(cut)) {
      this.stoppedAt = true;
      this.holding = '';
      return text.slice(0, cut);
    }
    let hold = 0;
    for (const stop of this.stops) {
      for (let length = Math.min(stop.length - 1, text.length); length > hold; length -= 1) {
        if (text.endsWith(stop.slice(0, length))) {
          hold = length;
          break;
        }
      }
    }
    this.holding = text.slice(text.length - hold);
    return text.slice(0, text.length - hold);
  }

  /** At the end of generation, what was held back was not a stop sequence after all. */
  flush(): string {
    const rest = this.stoppedAt ? '' : this.holding;
    this.holding = '';
    return rest;
  }
}
