import { z } from 'zod';
import { chatMessageSchema } from './chat.js';
import { limits } from './limits.js';
import { modelIdSchema } from './model-reference.js';

/**
 * The subset of OpenAI's chat completions request mlrpc serves; unknown fields are ignored, as
 * OpenAI-compatible servers do, so clients that send extras keep working.
 */
export const openAIChatRequestSchema = z.object({
  model: modelIdSchema,
  messages: z.array(chatMessageSchema).min(1).max(limits.chatMaxMessages),
  max_tokens: z.number().int().min(1).max(limits.chatMaxTokens).nullish(),
  max_completion_tokens: z.number().int().min(1).max(limits.chatMaxTokens).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().gt(0).max(1).nullish(),
  stop: z.union([z.string(), z.array(z.string())]).nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().nullish() }).nullish(),
  n: z.literal(1).nullish(),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .nullish(),
  user: z.string().max(limits.routingKeyMaxLength).nullish(),
});
export type OpenAIChatRequest = z.infer<typeof openAIChatRequestSchema>;

/** OpenAI's embeddings request; `input` is one text or a list of them. */
export const openAIEmbeddingsRequestSchema = z.object({
  model: modelIdSchema,
  input: z.union([z.string(), z.array(z.string())]),
  encoding_format: z.enum(['float', 'base64']).nullish(),
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
