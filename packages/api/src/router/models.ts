import { modelsListOutputSchema } from '@mlrpc/schema';
import type { TRPCRouterRecord } from '@trpc/server';
import { publicProcedure } from '../trpc.js';

export const modelsRouter = {
  /** Every configured model version with state, device and load errors. */
  list: publicProcedure.output(modelsListOutputSchema).query(({ ctx }) => ({
    models: ctx.models.list(),
  })),
} satisfies TRPCRouterRecord;
