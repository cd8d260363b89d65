import { randomUUID } from 'node:crypto';
import {
  chatCancelInputSchema,
  chatCancelOutputSchema,
  chatCompleteOutputSchema,
  chatInputSchema,
  chatStreamInputSchema,
} from '@mlrpc/schema';
import { tracked, TRPCError, type TRPCRouterRecord } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
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
    const following = new AbortController();
    const stop = () => following.abort();
    signal?.addEventListener('abort', stop, { once: true });
    ctx.shutdown.addEventListener('abort', stop, { once: true });
    let generation;
    let from = 0;
    if (lastEventId) {
      const { generationId, index } = parseEventId(lastEventId);
      // Someone else's generation reads as unknown: its existence is not revealed either.
      generation = await ctx.generations.open(generationId, ctx.owner);
      if (!generation) {
        throw new ApiError('NOT_FOUND', `generation ${generationId} is unknown or has expired`);
      }
      from = index + 1;
    } else {
      generation = await ctx.generations.create(randomUUID(), ctx.owner, settings);
      void runGeneration(generation, ctx.models, ctx.metrics);
    }
    let settled = false;
    try {
      for (;;) {
        const events = generation.follow(from, following.signal);
        let step = await events.next();
        if (from === 0 && !lastEventId) {
          // A new generation refused before its first token (a full queue, a rate limit, bad
          // input) is thrown, not streamed: the caller gets a 4xx and Retry-After before the
          // stream's first byte. So `start` waits for what follows it. A failure (5xx) stays an
          // event: clients reconnect on 5xx stream errors, and would start it over and over.
          let opening = step;
          if (!opening.done && opening.value[1].type === 'start') opening = await events.next();
          const refusal = opening.done ? undefined : opening.value[1];
          if (refusal?.type === 'error') {
            const error = fromEngineError(
              generation.error ?? new ApiError(refusal.errorCode, refusal.message),
            );
            if (error instanceof TRPCError && getHTTPStatusCodeFromError(error) < 500) {
              settled = true;
              throw error;
            }
          }
          if (opening !== step && !step.done) {
            from = step.value[0] + 1;
            yield tracked(`${generation.id}:${step.value[0]}`, step.value[1]);
            step = opening;
          }
        }
        while (!step.done) {
          const [index, event] = step.value;
          from = index + 1;
          yield tracked(`${generation.id}:${index}`, event);
          step = await events.next();
        }
        if (step.value === 'failed') {
          settled = true;
          if (generation.events.at(-1)?.type === 'error') return;
          throw fromEngineError(
            generation.error ?? new ApiError('INTERNAL_ERROR', 'the generation failed'),
          );
        }
        if (step.value !== 'interrupted') {
          settled = true;
          return;
        }
        // Nobody is generating (its caller left, its replica stopped or died): the first
        // follower to claim it continues it here; the others follow on.
        if (await ctx.generations.claim(generation)) {
          void runGeneration(generation, ctx.models, ctx.metrics);
        }
      }
    } catch (error) {
      if (!following.signal.aborted) throw error;
      if (ctx.shutdown.aborted && !signal?.aborted) {
        // This server is going: tell the caller to resume elsewhere (another replica continues).
        yield tracked(`${generation.id}:${from}`, {
          type: 'error' as const,
          errorCode: 'SHUTTING_DOWN' as const,
          message: 'the server is shutting down; send the request again',
          retryAfterSeconds: 1,
        });
      }
    } finally {
      signal?.removeEventListener('abort', stop);
      ctx.shutdown.removeEventListener('abort', stop);
      // The owner leaving stops the generation wherever it runs; it stays resumable.
      if (!settled && following.signal.aborted) {
        const reason = ctx.shutdown.aborted && !signal?.aborted ? 'shutdown' : 'left';
        void ctx.generations.cancel(generation.id, ctx.owner, reason).catch(() => false);
      }
      ctx.generations.release(generation);
      following.abort();
    }
  }),

  /** Stops a streamed generation wherever it runs; it stays resumable until it expires. */
  cancel: inferProcedure
    .input(chatCancelInputSchema)
    .output(chatCancelOutputSchema)
    .mutation(async ({ ctx, input }) => ({
      cancelled: await ctx.generations.cancel(input.generationId, ctx.owner, 'cancelled'),
    })),
} satisfies TRPCRouterRecord;
