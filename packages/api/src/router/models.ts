import { z } from 'zod';
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
  list: callerProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/models',
        tags: ['models'],
        protect: true,
        summary: 'Every configured model version',
      },
    })
    .input(z.void())
    .output(modelsListOutputSchema)
    .query(({ ctx }) => ({
      models: ctx.models.list(),
    })),
  /** The versions of one model. */
  get: callerProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/models/{id}',
        tags: ['models'],
        protect: true,
        summary: 'The versions of one model',
      },
    })
    .input(modelsGetInputSchema)
    .output(modelsListOutputSchema)
    .query(({ ctx, input }) => ({ models: ctx.models.get(input.id) })),
  /** Loads and warms up a version now rather than on its first call. */
  load: adminProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/models/load',
        tags: ['models'],
        protect: true,
        summary: 'Load and warm up a model version (admin)',
      },
    })
    .input(modelVersionSelectorSchema)
    .output(modelInfoSchema)
    .mutation(({ ctx, input }) => ctx.models.load(input.id, input.version)),
  /** Frees a version's memory once the calls queued on it have finished. */
  unload: adminProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/models/unload',
        tags: ['models'],
        protect: true,
        summary: 'Unload a model version (admin)',
      },
    })
    .input(modelVersionSelectorSchema)
    .output(modelInfoSchema)
    .mutation(({ ctx, input }) => ctx.models.unload(input.id, input.version)),
} satisfies TRPCRouterRecord;
