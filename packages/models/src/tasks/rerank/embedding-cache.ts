/**
 * Recently embedded documents per model version, least recently used out first, bounded by the
 * numbers it holds. Reranking a fixed collection (the usual case) then embeds only the query.
 */
export class EmbeddingCache {
  private readonly vectors = new Map<string, Float32Array>();
  private held = 0;

  constructor(private readonly maxNumbers: number) {}

  get(key: string): Float32Array | undefined {
    const vector = this.vectors.get(key);
    if (vector) {
      this.vectors.delete(key);
      this.vectors.set(key, vector);
    }
    return vector;
  }

  set(key: string, vector: Float32Array): void {
    if (vector.length > this.maxNumbers) return;
    const previous = this.vectors.get(key);
    if (previous) this.held -= previous.length;
    this.vectors.set(key, vector);
    this.held += vector.length;
    for (const [oldest, evicted] of this.vectors) {
      if (this.held <= this.maxNumbers) break;
      this.vectors.delete(oldest);
      this.held -= evicted.length;
    }
  }
}
