import type { Redis } from 'ioredis';
import type { GenerationRecord, StoredGeneration } from './stored-generation.js';

type StreamEntry = [id: string, fields: string[]];

/**
 * Keeps a copy of a generation run by another replica up to date: replays its log, then reads
 * new records as they are written (a blocking read on a connection of its own). When the log
 * says running but nobody holds the lock any more, the runner died: the copy turns
 * 'interrupted', so a follower may take it over.
 */
export class GenerationReader {
  private lastId = '0-0';
  private connection: Redis | undefined;
  private stopped = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly redis: Redis,
    readonly generation: StoredGeneration,
    private readonly keys: {
      log: string;
      lock: string;
      onError?: ((error: unknown) => void) | undefined;
    },
  ) {}

  /** Applies every record written since the last one read. */
  async catchUp(): Promise<void> {
    for (;;) {
      const entries = (await this.redis.xrange(
        this.keys.log,
        `(${this.lastId}`,
        '+',
        'COUNT',
        1000,
      )) as StreamEntry[];
      this.apply(entries);
      if (entries.length < 1000) break;
    }
    await this.checkRunner();
  }

  start(): void {
    this.connection = this.redis.duplicate();
    this.loop = this.read(this.connection);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.connection?.disconnect();
    await this.loop;
  }

  private async read(connection: Redis): Promise<void> {
    while (!this.stopped) {
      try {
        const result = await connection.xread('BLOCK', 1000, 'STREAMS', this.keys.log, this.lastId);
        if (this.stopped) return;
        if (result) this.apply(result[0]?.[1] ?? []);
        else await this.checkRunner();
        const { state } = this.generation;
        if (state === 'finished' || state === 'failed') return;
      } catch (error) {
        if (this.stopped) return;
        this.keys.onError?.(error);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }

  private apply(entries: StreamEntry[]): void {
    for (const [id, fields] of entries) {
      this.lastId = id;
      const data = fields[fields.indexOf('d') + 1];
      if (data) this.generation.apply(JSON.parse(data) as GenerationRecord);
    }
  }

  /** Running with no lock held: its replica died mid-generation. */
  private async checkRunner(): Promise<void> {
    if (this.generation.state !== 'running') return;
    if ((await this.redis.exists(this.keys.lock)) === 0)
      this.generation.apply({ state: 'interrupted' });
  }
}
