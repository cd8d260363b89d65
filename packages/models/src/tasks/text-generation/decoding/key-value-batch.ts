import type { KeyValues } from './decoder-session.js';

/**
 * The KV caches of the sequences decoding together, one row each, left-padded to one length:
 * row r's real tokens are its last `lengths[r]` positions. Rows join (after their own prefill)
 * and leave between steps; columns of padding every row shares are trimmed away.
 */
export class KeyValueBatch {
  length = 0;
  lengths: number[] = [];
  values: KeyValues = new Map();

  constructor(
    private readonly names: readonly string[],
    private readonly heads: number,
    private readonly headSize: number,
  ) {}

  get rows(): number {
    return this.lengths.length;
  }

  /** The attention mask of a step adding one token per row: padding 0, real tokens 1. */
  stepMask(): BigInt64Array {
    const width = this.length + 1;
    const mask = new BigInt64Array(this.rows * width);
    this.lengths.forEach((real, row) =>
      mask.fill(1n, row * width + this.length - real, (row + 1) * width),
    );
    return mask;
  }

  /** Takes the caches a step returned (one position longer). */
  advance(present: KeyValues): void {
    this.values = present;
    this.length += 1;
    this.lengths = this.lengths.map((real) => real + 1);
  }

  /** Adds a row whose own cache (batch of one, `real` positions) came from its prefill. */
  add(cache: KeyValues, real: number): void {
    const length = Math.max(this.length, real);
    const rows = this.rows + 1;
    const block = this.headSize;
    for (const name of this.names) {
      const merged = new Float32Array(rows * this.heads * length * block);
      const old = this.values.get(name);
      for (let row = 0; row < this.rows && old; row += 1) {
        for (let head = 0; head < this.heads; head += 1) {
          const from = (row * this.heads + head) * this.length * block;
          const to = ((row * this.heads + head) * length + (length - this.length)) * block;
          merged.set(old.subarray(from, from + this.length * block), to);
        }
      }
      const own = cache.get(name) ?? new Float32Array(0);
      for (let head = 0; head < this.heads; head += 1) {
        const from = head * real * block;
        const to = ((this.rows * this.heads + head) * length + (length - real)) * block;
        merged.set(own.subarray(from, from + real * block), to);
      }
      this.values.set(name, merged);
    }
    this.length = length;
    this.lengths = [...this.lengths, real];
  }

  /** Drops the rows at these indices (finished or cancelled sequences). */
  remove(leaving: ReadonlySet<number>): void {
    if (leaving.size === 0) return;
    const kept = this.lengths.map((_, row) => row).filter((row) => !leaving.has(row));
    const rowSize = this.heads * this.length * this.headSize;
    for (const name of this.names) {
      const old = this.values.get(name) ?? new Float32Array(0);
      const next = new Float32Array(kept.length * rowSize);
      kept.forEach((row, index) =>
        next.set(old.subarray(row * rowSize, (row + 1) * rowSize), index * rowSize),
      );
      this.values.set(name, next);
    }
    this.lengths = kept.map((row) => this.lengths[row] ?? 0);
    if (kept.length === 0) this.length = 0;
    this.trim();
  }

  /** Removes leading columns that are padding in every row (they cost attention for nothing). */
  private trim(): void {
    const spare = Math.min(...this.lengths.map((real) => this.length - real));
    if (!Number.isFinite(spare) || spare <= 0) return;
    const length = this.length - spare;
    const block = this.headSize;
    for (const name of this.names) {
      const old = this.values.get(name) ?? new Float32Array(0);
      const next = new Float32Array(this.rows * this.heads * length * block);
      for (let slab = 0; slab < this.rows * this.heads; slab += 1) {
        const from = (slab * this.length + spare) * block;
        next.set(old.subarray(from, from + length * block), slab * length * block);
      }
      this.values.set(name, next);
    }
    this.length = length;
  }
}
