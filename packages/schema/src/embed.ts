import { z } from 'zod';
import { limits } from './limits.js';
import { modelSelectionShape, servedByShape } from './model-reference.js';

const embedTextSchema = z
  .string()
  .max(limits.embedMaxTextLength, `each text holds at most ${limits.embedMaxTextLength} characters`)
  .refine((text) => text.trim().length > 0, 'text must not be blank');

export const embedInputSchema = z.object({
  ...modelSelectionShape,
  texts: z
    .array(embedTextSchema)
    .min(1, 'texts must hold at least one text')
    .max(limits.embedMaxTexts, `texts holds at most ${limits.embedMaxTexts} items`),
  /**
   * Keep the first N dimensions, re-normalized: meaningful only for models trained for it
   * (Matryoshka embeddings); refused above the model's own size.
   */
  dimensions: z.number().int().min(1).max(limits.embedMaxDimensions).optional(),
});
export type EmbedInput = z.infer<typeof embedInputSchema>;

export const embedOutputSchema = z.object({
  ...servedByShape,
  embeddings: z.array(z.array(z.number())),
  dimension: z.number().int().positive(),
  /** Tokens the texts came to after truncation, as OpenAI-style clients expect. */
  usage: z.object({ promptTokens: z.number().int().nonnegative() }),
});
export type EmbedOutput = z.infer<typeof embedOutputSchema>;
