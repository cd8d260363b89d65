import { z } from 'zod';
import { limits } from './limits.js';

/** A JSON Schema as callers send it; bounded in size, checked for what generation can enforce. */
export const jsonSchemaSchema = z
  .record(z.string(), z.unknown())
  .refine(
    (schema) => JSON.stringify(schema).length <= limits.chatMaxSchemaLength,
    `a schema may take at most ${limits.chatMaxSchemaLength} characters of JSON`,
  );

/**
 * What the reply must be: free text, any JSON object, or JSON valid against a schema. JSON is
 * enforced while generating (a local model can write nothing else); remote models are asked.
 */
export const responseFormatSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }).strict(),
  z.object({ type: z.literal('json') }).strict(),
  z
    .object({
      type: z.literal('json-schema'),
      schema: jsonSchemaSchema,
      name: z.string().max(64).optional(),
    })
    .strict(),
]);
export type ResponseFormat = z.infer<typeof responseFormatSchema>;

const toolNameSchema = z
  .string()
  .regex(/^[a-zA-Z0-9_-]{1,64}$/, 'a tool name has 1 to 64 letters, digits, _ or -');

/** A function the model may call; `parameters` is the JSON Schema of its arguments. */
export const toolDefinitionSchema = z
  .object({
    name: toolNameSchema,
    description: z.string().max(limits.chatMaxMessageLength).optional(),
    parameters: jsonSchemaSchema.default({ type: 'object', properties: {} }),
  })
  .strict();
export type ToolDefinition = z.infer<typeof toolDefinitionSchema>;

/** `auto`: the model decides; `required`: it must call one; or the function it must call. */
export const toolChoiceSchema = z.union([
  z.enum(['none', 'auto', 'required']),
  z.object({ name: toolNameSchema }).strict(),
]);
export type ToolChoice = z.infer<typeof toolChoiceSchema>;

/** A call the model made: `arguments` is JSON text valid against the tool's parameters. */
export const toolCallSchema = z
  .object({
    id: z.string().min(1).max(64),
    name: toolNameSchema,
    arguments: z.string().max(limits.chatMaxMessageLength),
  })
  .strict();
export type ToolCall = z.infer<typeof toolCallSchema>;

const candidateSchema = z.object({
  token: z.string(),
  logprob: z.number(),
  bytes: z.array(z.number().int()),
});

/** A generated token's log-probability, and the most likely alternatives at its place. */
export const tokenLogprobSchema = candidateSchema.extend({
  topLogprobs: z.array(candidateSchema),
});
export type TokenLogprob = z.infer<typeof tokenLogprobSchema>;
