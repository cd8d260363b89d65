import { EventEmitter, once } from 'node:events';
import type { ChatStreamEvent } from '@mlrpc/schema';
import type { ChatRequest, RunOptions } from '@mlrpc/models';

export type GenerationState = 'running' | 'interrupted' | 'finished' | 'failed';

export type GenerationSettings = Omit<
  ChatRequest,
  'generationId' | 'continueFrom' | 'onText' | 'onTokens'
> &
  Omit<RunOptions, 'signal' | 'onServedBy'>;

/**
 * One chat generation's events, kept for a while after its stream ends so that a client that
 * reconnects with the last event id it saw gets the rest without duplicates or gaps.
 */
export class StoredGeneration {
  readonly events: ChatStreamEvent[] = [];
  text = '';
  promptTokens = 0;
  completionTokens = 0;
  ttftMs: number | undefined;
  servedBy: { model: string; version: string } | undefined;
  error: unknown;
  private currentState: GenerationState = 'running';
  private readonly changes = new EventEmitter();

  constructor(
    readonly id: string,
    readonly settings: GenerationSettings,
    private readonly onSettled: () => void,
  ) {}

  get state(): GenerationState {
    return this.currentState;
  }

  set state(state: GenerationState) {
    this.currentState = state;
    if (state !== 'running') this.onSettled();
    this.changes.emit('change');
  }

  push(event: ChatStreamEvent): void {
    this.events.push(event);
    this.changes.emit('change');
  }

  /**
   * Yields events from index `from` on, waiting for new ones while the generation runs; returns
   * the state it stopped in ('interrupted' means nobody is generating and a caller may resume).
   */
  async *follow(
    from: number,
    signal: AbortSignal,
  ): AsyncGenerator<[number, ChatStreamEvent], GenerationState> {
    let next = from;
    for (;;) {
      while (next < this.events.length) {
        yield [next, this.events[next] as ChatStreamEvent];
        next += 1;
      }
      if (this.currentState !== 'running') return this.currentState;
      await once(this.changes, 'change', { signal });
    }
  }
}
