import { z } from 'zod';
import { healthOutputSchema } from '@mlrpc/schema';
import { publicProcedure } from '../trpc.js';

/** Liveness plus what each model is doing, for people and dashboards. */
export const healthProcedure = publicProcedure
  .meta({
    openapi: {
      method: 'GET',
      path: '/health',
      tags: ['health'],
      summary: 'Server and model health',
    },
  })
  .input(z.void())
  .output(healthOutputSchema)
  .query(({ ctx }) => ({
    ...ctx.models.health(),
    version: ctx.serverVersion,
    uptimeSeconds: (Date.now() - ctx.startedAt) / 1000,
  }));
