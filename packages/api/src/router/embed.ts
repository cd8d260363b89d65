import { embedInputSchema, embedOutputSchema } from '@mlrpc/schema';
import { inferProcedure } from '../trpc.js';

/** Sentence embeddings: one unit vector per text, in order. */
export const embedProcedure = inferProcedure
  .meta({
    openapi: {
      method: 'POST',
      path: '/embed',
      tags: ['inference'],
      protect: true,
      summary: 'Sentence embeddings',
    },
  })
  .input(embedInputSchema)
  .output(embedOutputSchema)
  .mutation(({ ctx, input, signal }) => ctx.models.run('feature-extraction', { ...input, signal }));
