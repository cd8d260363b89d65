import { embedInputSchema, embedOutputSchema } from '@mlrpc/schema';
import { publicProcedure } from '../trpc.js';

/** Sentence embeddings: one unit vector per text, in order. */
export const embedProcedure = publicProcedure
  .input(embedInputSchema)
  .output(embedOutputSchema)
  .mutation(({ ctx, input, signal }) => ctx.models.embed({ ...input, signal }));
