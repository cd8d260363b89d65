import type { ChatStreamEvent } from '@mlrpc/schema';
import type { ChatRequest, RunOptions, ToolCallStream } from '@mlrpc/models';

export type GenerationState = 'running' | 'interrupted' | 'finished' | 'failed';

export type GenerationSettings = Omit<
  ChatRequest,
  'generationId' | 'continueFrom' | 'onText' | 'onTokens' | 'onStep'
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
  /** Set once the reply turned out to be tool calls: reads them out of the text as it comes. */
  toolCalls: ToolCallStream | undefined;
  error: unknown;
  private currentState: GenerationState = 'running';
  /** Followers waiting for the next event or state change: woken together, then forgotten. */
  private waiters: Array<() => void> = [];

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
    this.wake();
  }

  push(event: ChatStreamEvent): void {
    this.events.push(event);
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resume of waiters) resume();
  }

  /**
   * Yields events from index `from` on, waiting for new ones while the generation runs; returns
   * the state it stopped in ('interrupted' means nobody is generating and a caller may resume).
   */
  async *follow(
    from: number,
    signal: AbortSignal,
  ): AsyncGenerator<[number, ChatStreamEvent], GenerationState> {
    // One abort listener per follower for its whole life, and one wake-up per event for all
    // followers: hundreds of readers of one generation cost little more than one.
    let resume: (() => void) | undefined;
    const onAbort = () => resume?.();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      let next = from;
      for (;;) {
        while (next < this.events.length) {
          yield [next, this.events[next] as ChatStreamEvent];
          next += 1;
        }
        if (this.currentState !== 'running') return this.currentState;
        signal.throwIfAborted();
        await new Promise<void>((wake) => {
          resume = wake;
          this.waiters.push(wake);
        });
        signal.throwIfAborted();
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }
}
