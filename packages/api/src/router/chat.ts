import { randomUUID } from 'node:crypto';
import { EventEmitter, on } from 'node:events';
import { chatCompleteOutputSchema, chatInputSchema, type ChatStreamEvent } from '@mlrpc/schema';
import { tracked, type TRPCRouterRecord } from '@trpc/server';
import { fromEngineError } from '../api-error.js';
import { publicProcedure } from '../trpc.js';

export const chatRouter = {
  /** One chat turn, returned whole. */
  complete: publicProcedure
    .input(chatInputSchema)
    .output(chatCompleteOutputSchema)
    .mutation(({ ctx, input, signal }) =>
      ctx.models.chat({ ...input, generationId: randomUUID(), signal }),
    ),

  /**
   * One chat turn, streamed as it is generated: `start`, then `delta` events with text, then
   * `end` with the finish reason, usage and timings. Every event carries an id (`tracked`).
   * Unsubscribing or disconnecting stops the generation in its worker.
   */
  stream: publicProcedure.input(chatInputSchema).subscription(async function* ({
    ctx,
    input,
    signal,
  }) {
    const generationId = randomUUID();
    const events = new EventEmitter();
    const stopped = new AbortController();
    const abort = () => stopped.abort();
    signal?.addEventListener('abort', abort, { once: true });
    // on() buffers what is emitted until the loop below takes it.
    const queue = on(events, 'event', { close: ['end'], signal: stopped.signal });
    const emit = (event: ChatStreamEvent) => events.emit('event', event);
    ctx.models
      .chat(
        { ...input, generationId, signal: stopped.signal },
        {
          onStart: (servedBy) => emit({ type: 'start', generationId, ...servedBy }),
          onDelta: (text) => emit({ type: 'delta', text }),
        },
      )
      .then(
        ({ finishReason, usage, ttftMs, tokensPerSecond }) =>
          emit({ type: 'end', generationId, finishReason, usage, ttftMs, tokensPerSecond }),
        (error: unknown) => {
          // After the caller left nobody listens, and an unheard 'error' event would throw.
          if (!stopped.signal.aborted) events.emit('error', fromEngineError(error));
        },
      )
      .finally(() => events.emit('end'));
    let sequence = 0;
    try {
      for await (const [event] of queue) {
        yield tracked(`${generationId}:${sequence++}`, event as ChatStreamEvent);
      }
    } finally {
      signal?.removeEventListener('abort', abort);
      stopped.abort();
    }
  }),
} satisfies TRPCRouterRecord;
