import { z } from 'zod';
import { errorCodeSchema } from './error-code.js';
import { limits } from './limits.js';
import { modelSelectionShape, servedByShape } from './model-reference.js';

export const chatMessageSchema = z
  .object({
    role: z.enum(['system', 'user', 'assistant']),
    content: z.string().max(limits.chatMaxMessageLength),
  })
  .strict();
export type ChatMessage = z.infer<typeof chatMessageSchema>;

export const chatInputSchema = z
  .object({
    ...modelSelectionShape,
    messages: z
      .array(chatMessageSchema)
      .min(1, 'messages must hold at least one message')
      .max(limits.chatMaxMessages)
      .refine(
        (messages) =>
          messages.some((message) => message.role === 'user' && message.content.trim().length > 0),
        'messages need a user message that is not blank',
      ),
    maxTokens: z.number().int().min(1).max(limits.chatMaxTokens).default(256),
    /** 0 is greedy (deterministic); higher samples more freely. */
    temperature: z.number().min(0).max(2).default(0),
    topP: z.number().gt(0).max(1).default(1),
    /** With temperature > 0: the same seed and input give the same text. */
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32 - 1)
      .optional(),
    /** Generation stops before any of these strings; they are not part of the text. */
    stop: z
      .array(z.string().min(1).max(limits.chatMaxStopLength))
      .max(limits.chatMaxStops)
      .default([]),
  })
  .strict();
export type ChatInput = z.input<typeof chatInputSchema>;

/** chat.stream also takes the id of the last event a client saw, to resume after a reconnect. */
export const chatStreamInputSchema = chatInputSchema.extend({
  lastEventId: z.string().max(200).nullish(),
});
export type ChatStreamInput = z.input<typeof chatStreamInputSchema>;

export const finishReasonSchema = z.enum(['stop', 'length', 'abort']);
export type FinishReason = z.infer<typeof finishReasonSchema>;

export const chatUsageSchema = z.object({
  /** Tokens of the prompt after the chat template. */
  promptTokens: z.number().int().nonnegative(),
  /** Tokens the model generated, the end-of-sequence token included. */
  completionTokens: z.number().int().nonnegative(),
});

const generationStatsShape = {
  generationId: z.string(),
  finishReason: finishReasonSchema,
  usage: chatUsageSchema,
  /** Time from the request to the first generated text. */
  ttftMs: z.number().nonnegative(),
  tokensPerSecond: z.number().nonnegative(),
};

export const chatCompleteOutputSchema = z.object({
  ...servedByShape,
  ...generationStatsShape,
  text: z.string(),
});
export type ChatCompleteOutput = z.infer<typeof chatCompleteOutputSchema>;

/** Stream events, named `<noun>-start | -delta | -end` as in vercel/ai. */
export const chatStreamEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('start'),
    generationId: z.string(),
    model: z.string(),
    version: z.string(),
  }),
  z.object({ type: z.literal('delta'), text: z.string() }),
  z.object({ type: z.literal('end'), ...generationStatsShape }),
  /** A failure after the stream started (an upstream dying, say); the stream ends after it. */
  z.object({
    type: z.literal('error'),
    errorCode: errorCodeSchema,
    message: z.string(),
    retryAfterSeconds: z.number().optional(),
  }),
]);
export type ChatStreamEvent = z.infer<typeof chatStreamEventSchema>;
