import { initTRPC } from '@trpc/server';
import superjson from 'superjson';
import { toApiError } from './api-error.js';
import type { Context } from './context.js';
import { formatError } from './error-formatter.js';

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter: formatError,
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Gives engine errors their proper tRPC code (a missing model is 404, not 500). */
const mapEngineErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) throw toApiError(result.error);
  return result;
});

export const publicProcedure = t.procedure.use(mapEngineErrors);
