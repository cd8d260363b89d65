import { z } from 'zod';
import { limits } from './limits.js';
import { modelIdSchema } from './model-reference.js';

const openAITextPartSchema = z.object({ type: z.literal('text'), text: z.string() });

/** A message's content as OpenAI takes it: text, or parts (text parts are joined). */
const openAIContentSchema = z.union([
  z.string(),
  z.array(
    z.union([
      openAITextPartSchema,
      z.object({ type: z.enum(['image_url', 'input_audio', 'file', 'refusal']) }).loose(),
    ]),
  ),
]);

const openAIToolCallSchema = z.object({
  id: z.string().min(1).max(64),
  type: z.literal('function').optional(),
  function: z.object({ name: z.string().max(64), arguments: z.string() }),
});

/** A chat message in OpenAI's shape, every role OpenAI's SDKs send. */
export const openAIChatMessageSchema = z.object({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool']),
  content: openAIContentSchema.nullish(),
  name: z.string().max(64).nullish(),
  tool_calls: z.array(openAIToolCallSchema).nullish(),
  tool_call_id: z.string().max(64).nullish(),
  refusal: z.string().nullish(),
});
export type OpenAIChatMessage = z.infer<typeof openAIChatMessageSchema>;

const openAIFunctionSchema = z.object({
  name: z.string(),
  description: z.string().nullish(),
  parameters: z.record(z.string(), z.unknown()).nullish(),
  strict: z.boolean().nullish(),
});

/** Sampling and output fields shared by chat completions and legacy completions. */
const openAIGenerationShape = {
  model: modelIdSchema,
  max_tokens: z.number().int().min(1).max(limits.chatMaxTokens).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().gt(0).max(1).nullish(),
  stop: z.union([z.string(), z.array(z.string())]).nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().nullish() }).nullish(),
  n: z.number().int().min(1).max(limits.chatMaxChoices).nullish(),
  /** Any integer, as OpenAI takes; mapped onto mlrpc's 32-bit seeds. */
  seed: z.number().int().nullish(),
  user: z.string().max(limits.routingKeyMaxLength).nullish(),
};

/**
 * The subset of OpenAI's chat completions request mlrpc serves; unknown fields are ignored, as
 * OpenAI-compatible servers do, so clients that send extras keep working.
 */
export const openAIChatRequestSchema = z.object({
  ...openAIGenerationShape,
  messages: z.array(openAIChatMessageSchema).min(1).max(limits.chatMaxMessages),
  max_completion_tokens: z.number().int().min(1).max(limits.chatMaxTokens).nullish(),
  response_format: z
    .discriminatedUnion('type', [
      z.object({ type: z.literal('text') }),
      z.object({ type: z.literal('json_object') }),
      z.object({
        type: z.literal('json_schema'),
        json_schema: z.object({
          name: z.string().max(64),
          description: z.string().nullish(),
          schema: z.record(z.string(), z.unknown()).nullish(),
          strict: z.boolean().nullish(),
        }),
      }),
    ])
    .nullish(),
  tools: z
    .array(z.object({ type: z.literal('function'), function: openAIFunctionSchema }))
    .nullish(),
  tool_choice: z
    .union([
      z.enum(['none', 'auto', 'required']),
      z.object({ type: z.literal('function'), function: z.object({ name: z.string() }) }),
    ])
    .nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  logprobs: z.boolean().nullish(),
  top_logprobs: z.number().int().min(0).max(limits.chatMaxTopLogprobs).nullish(),
});
export type OpenAIChatRequest = z.infer<typeof openAIChatRequestSchema>;

/** OpenAI's legacy completions request: raw text continued without a chat template. */
export const openAICompletionRequestSchema = z.object({
  ...openAIGenerationShape,
  prompt: z.union([z.string(), z.array(z.string()).length(1)]),
  logprobs: z.number().int().min(0).max(5).nullish(),
  echo: z.boolean().nullish(),
  suffix: z.string().nullish(),
  best_of: z.number().int().min(1).max(1).nullish(),
});
export type OpenAICompletionRequest = z.infer<typeof openAICompletionRequestSchema>;

/**
 * OpenAI's embeddings request: `input` is one text or a list of up to 2,048 (token-id inputs
 * are read, then refused with a clear message); `dimensions` truncates Matryoshka embeddings.
 */
export const openAIEmbeddingsRequestSchema = z.object({
  model: modelIdSchema,
  input: z.union([
    z.string(),
    z.array(z.string()).max(limits.openAIEmbedMaxInputs),
    z.array(z.number()),
    z.array(z.array(z.number())),
  ]),
  encoding_format: z.enum(['float', 'base64']).nullish(),
  dimensions: z.number().int().min(1).nullish(),
  user: z.string().max(limits.routingKeyMaxLength).nullish(),
});
export type OpenAIEmbeddingsRequest = z.infer<typeof openAIEmbeddingsRequestSchema>;

/** OpenAI's error body, with our error code in `code`. */
export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string };
}

/**
 * A rerank request as Cohere, Jina and TEI clients send it: `documents` as strings or
 * `{ text }` objects (TEI calls them `texts`), `top_n`, `return_documents` (`return_text`).
 */
export const openAIRerankRequestSchema = z.object({
  model: modelIdSchema.optional(),
  query: z.string(),
  documents: z.array(z.union([z.string(), z.object({ text: z.string() })])).optional(),
  texts: z.array(z.string()).optional(),
  top_n: z.number().int().min(1).nullish(),
  return_documents: z.boolean().nullish(),
  return_text: z.boolean().nullish(),
  raw_scores: z.boolean().nullish(),
});
export type OpenAIRerankRequest = z.infer<typeof openAIRerankRequestSchema>;
