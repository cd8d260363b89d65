import { StoredGeneration, type GenerationSettings, type StopReason } from './stored-generation.js';

/**
 * Where chat generations live between a stream and its resumes: this process's memory, or Redis
 * shared by replicas. Only a generation's owner (the API key that started it) may open it.
 */
export interface GenerationStore {
  /** A new generation, to be run in this process. */
  create(id: string, owner: string, settings: GenerationSettings): Promise<StoredGeneration>;
  /**
   * The generation by id, its events so far and its live ones to follow; undefined when it is
   * unknown, expired or someone else's (which callers are not told apart).
   */
  open(id: string, owner: string): Promise<StoredGeneration | undefined>;
  /**
   * After `follow` returned 'interrupted': whether this process should now continue the
   * generation (only one caller anywhere is told yes; the others keep following).
   */
  claim(generation: StoredGeneration): Promise<boolean>;
  /**
   * Stops the generation wherever it runs: `left` (its follower went away) leaves it resumable,
   * `cancelled` (chat.cancel) ends it with finishReason abort. False when none of the owner's runs.
   */
  cancel(id: string, owner: string, reason: StopReason): Promise<boolean>;
  /** A follower is done with a generation `open` gave it. */
  release(generation: StoredGeneration): void;
  /** Stops every run in this process (shutdown) and forgets what it holds. */
  close(): Promise<void>;
}

/** Generations in this process's memory, each forgotten `ttlMs` after it last stopped running. */
export class MemoryGenerationStore implements GenerationStore {
  private readonly generations = new Map<string, StoredGeneration>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly ttlMs = 60_000) {}

  create(id: string, owner: string, settings: GenerationSettings): Promise<StoredGeneration> {
    const generation = new StoredGeneration(id, owner, settings, () => this.expireLater(id));
    this.generations.set(id, generation);
    return Promise.resolve(generation);
  }

  open(id: string, owner: string): Promise<StoredGeneration | undefined> {
    const generation = this.generations.get(id);
    return Promise.resolve(generation?.owner === owner ? generation : undefined);
  }

  claim(generation: StoredGeneration): Promise<boolean> {
    // One thread: the first caller to see it interrupted takes it, and marks it running at once.
    if (generation.state !== 'interrupted' || generation.run) return Promise.resolve(false);
    generation.state = 'running';
    return Promise.resolve(true);
  }

  cancel(id: string, owner: string, reason: StopReason): Promise<boolean> {
    const generation = this.generations.get(id);
    if (generation?.owner !== owner || !generation.run) return Promise.resolve(false);
    generation.run.abort(reason);
    return Promise.resolve(true);
  }

  release(): void {}

  close(): Promise<void> {
    for (const generation of this.generations.values()) generation.run?.abort('shutdown');
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.generations.clear();
    return Promise.resolve();
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
