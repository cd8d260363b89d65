import type { ChatStreamEvent } from '@mlrpc/schema';
import {
  ToolCallStream,
  type ChatRequest,
  type EarlierTokens,
  type RunOptions,
} from '@mlrpc/models';

export type GenerationState = 'running' | 'interrupted' | 'finished' | 'failed';

/** Why a run is stopped: its follower left (it stays resumable), or its owner cancelled it. */
export type StopReason = 'left' | 'cancelled' | 'shutdown';

export type GenerationSettings = Omit<
  ChatRequest,
  'generationId' | 'continueFrom' | 'continueFromTokens' | 'onText' | 'onTokens' | 'onStep'
> &
  Omit<RunOptions, 'signal' | 'onServedBy'>;

/**
 * One record of a generation's journal: events for its followers, and where decoding stood
 * after them (tokens generated, and for local models their ids, for an exact resume), or a
 * change of state. Replaying the records rebuilds the generation anywhere.
 */
export interface GenerationRecord {
  events?: ChatStreamEvent[];
  /** Tokens this step generated; with local models their ids and the detokenizer's place. */
  step?: {
    text: string;
    tokens: number;
    ids?: number[];
    textTokens?: number;
    heldText?: string;
    /** The reply is the constrained JSON from here (tool calls, when tools were given). */
    constrained?: boolean;
  };
  state?: GenerationState;
}

/** Where records go besides memory (Redis, when replicas share generations). */
export interface GenerationJournal {
  append(record: GenerationRecord): void;
}

/**
 * One chat generation: its events, kept for a while after its stream ends so that a client that
 * reconnects with the last event id it saw gets the rest without duplicates or gaps, and where
 * decoding stands, so a stopped generation continues exactly where it stopped.
 */
export class StoredGeneration {
  readonly events: ChatStreamEvent[] = [];
  text = '';
  promptTokens = 0;
  completionTokens = 0;
  ttftMs: number | undefined;
  servedBy: { model: string; version: string } | undefined;
  /** Local models: every token generated so far, and how far its text has been given out. */
  tokens: EarlierTokens | undefined;
  /** Set once the reply turned out to be tool calls: reads them out of the text as it comes. */
  toolCalls: ToolCallStream | undefined;
  error: unknown;
  /** Stops the run in this process (whoever asks: the owner's unsubscribe or cancel, shutdown). */
  run: AbortController | undefined;
  /** Set while this process writes the generation's records to a shared journal. */
  journal: GenerationJournal | undefined;
  private currentState: GenerationState = 'running';
  /** Followers waiting for the next event or state change: woken together, then forgotten. */
  private waiters: Array<() => void> = [];

  constructor(
    readonly id: string,
    readonly owner: string,
    readonly settings: GenerationSettings,
    private readonly onSettled: () => void = () => undefined,
  ) {}

  get state(): GenerationState {
    return this.currentState;
  }

  set state(state: GenerationState) {
    this.record({ state });
  }

  push(event: ChatStreamEvent): void {
    this.record({ events: [event] });
  }

  /**
   * Applies a record here and writes it to the journal, if this process keeps one. `replayed`
   * is false for records made here, whose tool-call events the caller has already read out.
   */
  record(record: GenerationRecord, replayed = true): void {
    this.apply(record, replayed);
    this.journal?.append(record);
  }

  /** Applies a record (one made here, or read back from a journal). */
  apply(record: GenerationRecord, replayed = true): void {
    for (const event of record.events ?? []) {
      this.events.push(event);
      if (event.type === 'start') this.servedBy = { model: event.model, version: event.version };
    }
    const { step } = record;
    if (step) {
      if (replayed && step.constrained && this.settings.tools?.length) {
        this.toolCalls ??= new ToolCallStream();
      }
      // Replayed: the tool-call reader catches up with the text (its events are in the record).
      if (replayed) this.toolCalls?.push(step.text);
      this.text += step.text;
      this.completionTokens += step.tokens;
      if (step.ids) {
        // Appended in place: a long reply must not copy all its ids on every token.
        const tokens = (this.tokens ??= { ids: [], textTokens: 0, heldText: '' });
        for (const id of step.ids) tokens.ids.push(id);
        tokens.textTokens = step.textTokens ?? tokens.textTokens;
        tokens.heldText = step.heldText ?? tokens.heldText;
      }
    }
    if (record.state && record.state !== this.currentState) {
      this.currentState = record.state;
      if (record.state !== 'running') this.onSettled();
    }
    if (record.events?.length || record.state) this.wake();
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
