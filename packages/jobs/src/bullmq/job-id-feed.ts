import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';

/**
 * One Redis subscription shared by everything in this process that waits on jobs: a message on
 * the channel carries a job id, and listeners subscribe per job id.
 */
export class JobIdFeed {
  private readonly listeners = new EventEmitter();
  private readonly subscribed: Promise<unknown>;

  constructor(
    private readonly subscriber: Redis,
    channel: string,
  ) {
    this.listeners.setMaxListeners(0);
    subscriber.on('message', (from: string, jobId: string) => {
      if (from === channel) this.listeners.emit(jobId);
    });
    this.subscribed = subscriber.subscribe(channel);
  }

  /** Resolves once messages are flowing: anything published after this is seen. */
  async ready(): Promise<void> {
    await this.subscribed;
  }

  on(jobId: string, listener: () => void): void {
    this.listeners.on(jobId, listener);
  }

  off(jobId: string, listener: () => void): void {
    this.listeners.off(jobId, listener);
  }

  async close(): Promise<void> {
    this.listeners.removeAllListeners();
    await this.subscriber.quit().catch(() => undefined);
  }
}
