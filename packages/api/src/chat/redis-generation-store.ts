import type { Redis } from 'ioredis';
import type { GenerationStore } from './generation-store.js';
import { GenerationReader } from './generation-reader.js';
import {
  StoredGeneration,
  type GenerationRecord,
  type GenerationSettings,
  type StopReason,
} from './stored-generation.js';

/** How long a replica's claim on a generation lasts without renewal (it renews a third of that). */
const lockMs = 6_000;
/** Keys of a running generation live this much beyond the resume TTL (a long queue wait). */
const runningMarginMs = 10 * 60_000;
/** How long records wait to be written together (a replica that dies loses at most these). */
const flushMs = 10;
/** Records a generation's log may hold: every token and event of the longest reply, bounded. */
const maxRecords = 20_000;

const releaseScript = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`;
const renewScript = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0`;

export interface RedisGenerationSettings {
  prefix: string;
  /** How long a generation stays resumable after it stops. */
  ttlMs: number;
  /** This process's name in locks (unique per replica). */
  replica: string;
  onError?: (error: unknown) => void;
}

/**
 * Generations shared by replicas through Redis: each one's owner and settings in a hash, its
 * records (events, decoding state, state changes) in a stream, and a lock naming the replica
 * that runs it, renewed while it runs. Any replica replays a generation and follows it live;
 * when its runner stopped or died (the lock expired), the first replica to take the lock
 * continues it from the recorded token ids; a cancel is published to whichever replica runs it.
 */
export class RedisGenerationStore implements GenerationStore {
  private readonly running = new Map<string, StoredGeneration>();
  private readonly readers = new Map<string, { reader: GenerationReader; followers: number }>();
  private readonly renewals = new Map<string, NodeJS.Timeout>();
  private readonly ready: Promise<unknown>;

  constructor(
    private readonly redis: Redis,
    private readonly subscriber: Redis,
    private readonly settings: RedisGenerationSettings,
  ) {
    const channel = this.key('cancel');
    subscriber.on('message', (from: string, message: string) => {
      const [id = '', reason = 'left'] = message.split(' ');
      if (from === channel) this.running.get(id)?.run?.abort(reason);
    });
    this.ready = subscriber.subscribe(channel).catch((error: unknown) => settings.onError?.(error));
  }

  private key(...parts: string[]): string {
    return [this.settings.prefix, 'generation', ...parts].join(':');
  }

  async create(id: string, owner: string, settings: GenerationSettings): Promise<StoredGeneration> {
    await this.ready;
    const generation = new StoredGeneration(id, owner, settings);
    await this.redis
      .multi()
      .hset(this.key(id), { owner, settings: JSON.stringify(settings) })
      .pexpire(this.key(id), this.settings.ttlMs + runningMarginMs)
      .set(this.key(id, 'lock'), this.settings.replica, 'PX', lockMs)
      .exec();
    this.attach(generation);
    return generation;
  }

  async open(id: string, owner: string): Promise<StoredGeneration | undefined> {
    const local = this.running.get(id);
    if (local) return local.owner === owner ? local : undefined;
    const followed = this.readers.get(id);
    if (followed) {
      if (followed.reader.generation.owner !== owner) return undefined;
      followed.followers += 1;
      return followed.reader.generation;
    }
    const meta = await this.redis.hgetall(this.key(id));
    if (meta.owner !== owner || !meta.settings) return undefined;
    const generation = new StoredGeneration(
      id,
      owner,
      JSON.parse(meta.settings) as GenerationSettings,
    );
    const reader = new GenerationReader(this.redis, generation, {
      log: this.key(id, 'log'),
      lock: this.key(id, 'lock'),
      onError: this.settings.onError,
    });
    await reader.catchUp();
    // Another caller may have opened it meanwhile: share its reader.
    const raced = this.readers.get(id);
    if (raced) {
      raced.followers += 1;
      return raced.reader.generation;
    }
    this.readers.set(id, { reader, followers: 1 });
    reader.start();
    return generation;
  }

  async claim(generation: StoredGeneration): Promise<boolean> {
    const { id } = generation;
    const won = await this.redis.set(
      this.key(id, 'lock'),
      this.settings.replica,
      'PX',
      lockMs,
      'NX',
    );
    if (won !== 'OK') {
      // Someone else continues it: follow on, until its records arrive (or it dies too).
      generation.apply({ state: 'running' });
      return false;
    }
    // This replica runs it now: read the log to its end first, so the run starts where it stopped.
    const followed = this.readers.get(id);
    if (followed) {
      await followed.reader.stop();
      await followed.reader.catchUp();
      this.readers.delete(id);
    }
    generation.state = 'running';
    this.attach(generation);
    return true;
  }

  async cancel(id: string, owner: string, reason: StopReason): Promise<boolean> {
    const local = this.running.get(id);
    if (local) {
      if (local.owner !== owner || !local.run) return false;
      local.run.abort(reason);
      return true;
    }
    if ((await this.redis.hget(this.key(id), 'owner')) !== owner) return false;
    // Whichever replica runs it hears this; none may (then there is nothing to stop).
    const heard = await this.redis.publish(this.key('cancel'), `${id} ${reason}`);
    return heard > 0 && (await this.redis.exists(this.key(id, 'lock'))) === 1;
  }

  release(generation: StoredGeneration): void {
    const followed = this.readers.get(generation.id);
    if (!followed || followed.reader.generation !== generation) return;
    followed.followers -= 1;
    if (followed.followers > 0) return;
    this.readers.delete(generation.id);
    void followed.reader.stop();
  }

  async close(): Promise<void> {
    const runs = [...this.running.values()];
    for (const generation of runs) generation.run?.abort('shutdown' satisfies StopReason);
    // Let the aborted runs record their interruption, so another replica takes them over.
    const deadline = Date.now() + 3_000;
    while (runs.some((generation) => generation.state === 'running') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await Promise.all([...this.readers.values()].map(({ reader }) => reader.stop()));
    this.readers.clear();
    for (const timer of this.renewals.values()) clearInterval(timer);
    this.renewals.clear();
  }

  /**
   * This replica runs the generation: its records go to the log, one XADD each (the hot path, a
   * command per token); the lock and the keys' expiry are renewed on a timer, not per record.
   */
  private attach(generation: StoredGeneration): void {
    const { id } = generation;
    this.running.set(id, generation);
    const lock = this.key(id, 'lock');
    const log = this.key(id, 'log');
    const runningExpiry = String(this.settings.ttlMs + runningMarginMs);
    const renewal = setInterval(() => {
      this.redis
        .multi()
        .eval(renewScript, 1, lock, this.settings.replica, String(lockMs))
        .pexpire(log, runningExpiry)
        .pexpire(this.key(id), runningExpiry)
        .exec()
        .catch((error: unknown) => this.settings.onError?.(error));
    }, lockMs / 3);
    renewal.unref();
    this.renewals.set(id, renewal);
    // Records go out in one pipeline every few milliseconds, not one command per token: Redis
    // then syncs its append-only file once per batch instead of once per token.
    let pending: string[] = [];
    let flushing: NodeJS.Timeout | undefined;
    let expiring = false;
    const flush = (settled: boolean) => {
      clearTimeout(flushing);
      flushing = undefined;
      const records = pending;
      pending = [];
      const write = this.redis.multi();
      for (const data of records)
        write.xadd(log, 'MAXLEN', '~', String(maxRecords), '*', 'd', data);
      // The first batch gives the new log its expiry; the last one shortens both to the TTL.
      if (!expiring || settled) {
        expiring = true;
        const expiry = settled ? String(this.settings.ttlMs) : runningExpiry;
        write.pexpire(log, expiry).pexpire(this.key(id), expiry);
      }
      if (settled) write.eval(releaseScript, 1, lock, this.settings.replica);
      write.exec().catch((error: unknown) => this.settings.onError?.(error));
    };
    generation.journal = {
      append: (record: GenerationRecord) => {
        pending.push(JSON.stringify(record));
        const settled = record.state !== undefined && record.state !== 'running';
        if (settled) {
          flush(true);
          this.detach(generation);
        } else {
          flushing ??= setTimeout(() => flush(false), flushMs);
        }
      },
    };
  }

  private detach(generation: StoredGeneration): void {
    clearInterval(this.renewals.get(generation.id));
    this.renewals.delete(generation.id);
    generation.journal = undefined;
    if (this.running.get(generation.id) === generation) this.running.delete(generation.id);
  }
}
