import { rerankInputSchema, rerankOutputSchema } from '@mlrpc/schema';
import { inferProcedure } from '../trpc.js';

/** Documents scored against a query, best first (a cross-encoder, or an embedding model). */
export const rerankProcedure = inferProcedure
  .meta({
    openapi: {
      method: 'POST',
      path: '/rerank',
      tags: ['inference'],
      protect: true,
      summary: 'Rerank documents against a query',
    },
  })
  .input(rerankInputSchema)
  .output(rerankOutputSchema)
  .mutation(({ ctx, input, signal }) => ctx.models.run('rerank', { ...input, signal }));
