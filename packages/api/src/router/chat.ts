import { randomUUID } from 'node:crypto';
import { chatCompleteOutputSchema, chatInputSchema, chatStreamInputSchema } from '@mlrpc/schema';
import { tracked, type TRPCRouterRecord } from '@trpc/server';
import { ApiError, fromEngineError } from '../api-error.js';
import { runGeneration } from '../chat/run-generation.js';
import { inferProcedure } from '../trpc.js';

/** `<generation id>:<event index>` */
function parseEventId(eventId: string): { generationId: string; index: number } {
  const separator = eventId.lastIndexOf(':');
  const index = Number(eventId.slice(separator + 1));
  if (separator <= 0 || !Number.isInteger(index) || index < 0) {
    throw new ApiError(
      'INVALID_INPUT',
      `lastEventId "${eventId}" is not an event id of chat.stream`,
    );
  }
  return { generationId: eventId.slice(0, separator), index };
}

export const chatRouter = {
  /** One chat turn, returned whole. */
  complete: inferProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/chat/complete',
        tags: ['chat'],
        protect: true,
        summary: 'One chat turn, returned whole',
      },
    })
    .input(chatInputSchema)
    .output(chatCompleteOutputSchema)
    .mutation(({ ctx, input, signal }) =>
      ctx.models.run('text-generation', { ...input, generationId: randomUUID(), signal }),
    ),

  /**
   * One chat turn, streamed as it is generated: `start`, `delta` events with text, then `end`
   * with the finish reason, usage and timings. Every event carries an id (`tracked`): a client
   * that reconnects with `lastEventId` gets the rest of the same generation, no duplicates, no
   * gaps. Unsubscribing or disconnecting stops the generation in its worker.
   */
  stream: inferProcedure.input(chatStreamInputSchema).subscription(async function* ({
    ctx,
    input,
    signal,
  }) {
    const { lastEventId, ...settings } = input;
    const stopped = new AbortController();
    const abort = () => stopped.abort();
    signal?.addEventListener('abort', abort, { once: true });
    ctx.shutdown.addEventListener('abort', abort, { once: true });
    let generation;
    let from = 0;
    if (lastEventId) {
      const { generationId, index } = parseEventId(lastEventId);
      generation = ctx.generations.get(generationId);
      if (!generation) {
        throw new ApiError('NOT_FOUND', `generation ${generationId} is unknown or has expired`);
      }
      from = index + 1;
    } else {
      generation = ctx.generations.create(randomUUID(), settings);
      void runGeneration(generation, ctx.models, stopped.signal, ctx.metrics);
    }
    try {
      for (;;) {
        const events = generation.follow(from, stopped.signal);
        let step = await events.next();
        while (!step.done) {
          const [index, event] = step.value;
          from = index + 1;
          yield tracked(`${generation.id}:${index}`, event);
          step = await events.next();
        }
        if (step.value === 'failed') {
          if (generation.events.at(-1)?.type === 'error') return;
          throw fromEngineError(generation.error);
        }
        if (step.value !== 'interrupted') return;
        // Another resumer may have restarted it since this loop saw the interruption.
        if (generation.state === 'interrupted')
          void runGeneration(generation, ctx.models, stopped.signal, ctx.metrics);
      }
    } catch (error) {
      if (!stopped.signal.aborted) throw error;
      if (ctx.shutdown.aborted && !signal?.aborted) {
        // The generation lives in this process: tell the caller to start over elsewhere.
        yield tracked(`${generation.id}:${from}`, {
          type: 'error' as const,
          errorCode: 'SHUTTING_DOWN' as const,
          message: 'the server is shutting down; send the request again',
          retryAfterSeconds: 1,
        });
      }
    } finally {
      signal?.removeEventListener('abort', abort);
      ctx.shutdown.removeEventListener('abort', abort);
      stopped.abort();
    }
  }),
} satisfies TRPCRouterRecord;
