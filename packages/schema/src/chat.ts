import { z } from 'zod';
import { errorCodeSchema } from './error-code.js';
import {
  responseFormatSchema,
  tokenLogprobSchema,
  toolCallSchema,
  toolChoiceSchema,
  toolDefinitionSchema,
} from './chat-output-controls.js';
import { limits } from './limits.js';
import { modelSelectionShape, servedByShape } from './model-reference.js';

export const chatMessageSchema = z
  .object({
    role: z.enum(['system', 'user', 'assistant', 'tool']),
    content: z.string().max(limits.chatMaxMessageLength),
    /** Who spoke (a participant's name); shown to models whose template uses it. */
    name: z.string().max(64).optional(),
    /** Assistant turns: the calls the model made (their results follow as `tool` messages). */
    toolCalls: z.array(toolCallSchema).min(1).max(limits.chatMaxTools).optional(),
    /** Tool turns: the id of the call this message answers. */
    toolCallId: z.string().min(1).max(64).optional(),
  })
  .strict()
  .refine((message) => !message.toolCalls || message.role === 'assistant', {
    message: 'only assistant messages carry toolCalls',
    path: ['toolCalls'],
  })
  .refine((message) => (message.role === 'tool') === (message.toolCallId !== undefined), {
    message: 'a tool message needs the toolCallId it answers, and only tool messages have one',
    path: ['toolCallId'],
  });
export type ChatMessage = z.infer<typeof chatMessageSchema>;

const chatInputObject = z
  .object({
    ...modelSelectionShape,
    /** The conversation, rendered through the model's chat template. */
    messages: z.array(chatMessageSchema).max(limits.chatMaxMessages).optional(),
    /** Or raw text to continue, without any template (legacy completions). */
    prompt: z.string().max(limits.chatMaxMessageLength).optional(),
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
    /** JSON output, enforced token by token on local models (stop strings do not apply then). */
    responseFormat: responseFormatSchema.optional(),
    /** Functions the model may call; see toolChoice. */
    tools: z.array(toolDefinitionSchema).max(limits.chatMaxTools).optional(),
    /** Whether and which tool the model must call (`auto` when tools are given). */
    toolChoice: toolChoiceSchema.optional(),
    /** With toolChoice `required` or `auto`: whether one reply may hold several calls. */
    parallelToolCalls: z.boolean().default(true),
    /** Report each generated token's log-probability. */
    logprobs: z.boolean().default(false),
    /** And this many most likely alternatives at each place (0..20; implies logprobs). */
    topLogprobs: z.number().int().min(0).max(limits.chatMaxTopLogprobs).default(0),
  })
  .strict();

/** Checks that span fields: messages or a prompt, tool choices that name given tools. */
function checkChatInput(input: z.infer<typeof chatInputObject>, context: z.RefinementCtx): void {
  if ((input.messages === undefined) === (input.prompt === undefined)) {
    context.addIssue({
      code: 'custom',
      path: ['messages'],
      message: 'send messages, or a raw prompt, but not both',
    });
    return;
  }
  if (input.prompt !== undefined) {
    if (input.tools?.length) {
      context.addIssue({
        code: 'custom',
        path: ['tools'],
        message: 'tools need messages, not a raw prompt',
      });
    }
    return;
  }
  const messages = input.messages ?? [];
  if (messages.length === 0) {
    context.addIssue({
      code: 'custom',
      path: ['messages'],
      message: 'messages must hold at least one message',
    });
  } else if (
    !messages.some((message) => message.role === 'user' && message.content.trim().length > 0)
  ) {
    context.addIssue({
      code: 'custom',
      path: ['messages'],
      message: 'messages need a user message that is not blank',
    });
  }
  const choice = input.toolChoice;
  if (choice !== undefined && choice !== 'none' && choice !== 'auto' && !input.tools?.length) {
    context.addIssue({ code: 'custom', path: ['toolChoice'], message: 'toolChoice needs tools' });
  }
  if (typeof choice === 'object' && !input.tools?.some((tool) => tool.name === choice.name)) {
    context.addIssue({
      code: 'custom',
      path: ['toolChoice', 'name'],
      message: `no tool is named "${choice.name}"`,
    });
  }
  if (
    input.tools?.length &&
    input.responseFormat &&
    input.responseFormat.type !== 'text' &&
    choice !== 'none'
  ) {
    context.addIssue({
      code: 'custom',
      path: ['responseFormat'],
      message:
        'a JSON response format and tools cannot both shape one reply; set toolChoice to none',
    });
  }
}

export const chatInputSchema = chatInputObject.superRefine(checkChatInput);
export type ChatInput = z.input<typeof chatInputSchema>;

/** chat.stream also takes the id of the last event a client saw, to resume after a reconnect. */
export const chatStreamInputSchema = chatInputObject
  .extend({ lastEventId: z.string().max(200).nullish() })
  .superRefine(checkChatInput);
export type ChatStreamInput = z.input<typeof chatStreamInputSchema>;

/** `tool_calls`: the reply is calls to the given tools (in `toolCalls`), not text. */
export const finishReasonSchema = z.enum(['stop', 'length', 'abort', 'tool_calls']);
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
  toolCalls: z.array(toolCallSchema).optional(),
  logprobs: z.array(tokenLogprobSchema).optional(),
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
  z.object({
    type: z.literal('delta'),
    text: z.string(),
    logprobs: z.array(tokenLogprobSchema).optional(),
  }),
  /** A tool call begins: its name is known, its arguments follow in deltas of JSON text. */
  z.object({
    type: z.literal('tool-call-start'),
    index: z.number().int(),
    id: z.string(),
    name: z.string(),
  }),
  z.object({
    type: z.literal('tool-call-delta'),
    index: z.number().int(),
    arguments: z.string(),
    logprobs: z.array(tokenLogprobSchema).optional(),
  }),
  z.object({ type: z.literal('tool-call-end'), index: z.number().int(), ...toolCallSchema.shape }),
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

/** chat.cancel: stops a streamed generation of the caller's, wherever it runs. */
export const chatCancelInputSchema = z
  .object({ generationId: z.string().min(1).max(100) })
  .strict();
export const chatCancelOutputSchema = z.object({
  /** False when no such generation of the caller's is running. */
  cancelled: z.boolean(),
});
