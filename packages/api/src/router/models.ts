import {
  modelInfoSchema,
  modelsGetInputSchema,
  modelsListOutputSchema,
  modelVersionSelectorSchema,
} from '@mlrpc/schema';
import type { TRPCRouterRecord } from '@trpc/server';
import { adminProcedure, callerProcedure } from '../trpc.js';

export const modelsRouter = {
  /** Every configured model version with state, device, queue depth and counters. */
  list: callerProcedure.output(modelsListOutputSchema).query(({ ctx }) => ({
    models: ctx.models.list(),
  })),
  /** The versions of one model. */
  get: callerProcedure
    .input(modelsGetInputSchema)
    .output(modelsListOutputSchema)
    .query(({ ctx, input }) => ({ models: ctx.models.get(input.id) })),
  /** Loads and warms up a version now rather than on its first call. */
  load: adminProcedure
    .input(modelVersionSelectorSchema)
    .output(modelInfoSchema)
    .mutation(({ ctx, input }) => ctx.models.load(input.id, input.version)),
  /** Frees a version's memory once the calls queued on it have finished. */
  unload: adminProcedure
    .input(modelVersionSelectorSchema)
    .output(modelInfoSchema)
    .mutation(({ ctx, input }) => ctx.models.unload(input.id, input.version)),
} satisfies TRPCRouterRecord;
