import { StoredGeneration, type GenerationSettings } from './stored-generation.js';

/** Generations by id, each forgotten `ttlMs` after it last stopped running. */
export class GenerationStore {
  private readonly generations = new Map<string, StoredGeneration>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly ttlMs = 60_000) {}

  create(id: string, settings: GenerationSettings): StoredGeneration {
    const generation = new StoredGeneration(id, settings, () => this.expireLater(id));
    this.generations.set(id, generation);
    return generation;
  }

  get(id: string): StoredGeneration | undefined {
    return this.generations.get(id);
  }

  close(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.generations.clear();
  }

  private expireLater(id: string): void {
    clearTimeout(this.timers.get(id));
    const timer = setTimeout(() => {
      this.generations.delete(id);
      this.timers.delete(id);
    }, this.ttlMs);
    timer.unref();
    this.timers.set(id, timer);
  }
}
