import {
  modelInfoSchema,
  modelsGetInputSchema,
  modelsListOutputSchema,
  modelVersionSelectorSchema,
} from '@mlrpc/schema';
import type { TRPCRouterRecord } from '@trpc/server';
import { publicProcedure } from '../trpc.js';

export const modelsRouter = {
  /** Every configured model version with state, device, queue depth and counters. */
  list: publicProcedure.output(modelsListOutputSchema).query(({ ctx }) => ({
    models: ctx.models.list(),
  })),
  /** The versions of one model. */
  get: publicProcedure
    .input(modelsGetInputSchema)
    .output(modelsListOutputSchema)
    .query(({ ctx, input }) => ({ models: ctx.models.get(input.id) })),
  /** Loads and warms up a version now rather than on its first call. */
  load: publicProcedure
    .input(modelVersionSelectorSchema)
    .output(modelInfoSchema)
    .mutation(({ ctx, input }) => ctx.models.load(input.id, input.version)),
  /** Frees a version's memory once the calls queued on it have finished. */
  unload: publicProcedure
    .input(modelVersionSelectorSchema)
    .output(modelInfoSchema)
    .mutation(({ ctx, input }) => ctx.models.unload(input.id, input.version)),
} satisfies TRPCRouterRecord;
