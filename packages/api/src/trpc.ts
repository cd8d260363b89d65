import type { Scope } from '@mlrpc/schema';
import { initTRPC } from '@trpc/server';
import superjson from 'superjson';
import type { OpenApiMeta } from 'trpc-to-openapi';
import { ApiError, errorCodeOf, toApiError } from './api-error.js';
import { allows } from './auth/api-key-ring.js';
import type { Context } from './context.js';
import { formatError } from './error-formatter.js';
import type { ServedCall } from './metrics/api-metrics.js';

const t = initTRPC.meta<OpenApiMeta>().context<Context>().create({
  transformer: superjson,
  errorFormatter: formatError,
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

function servedCall(data: unknown): ServedCall | undefined {
  const value = data as Partial<ServedCall> | null;
  return typeof value?.model === 'string' &&
    typeof value.version === 'string' &&
    typeof value.inferenceTimeMs === 'number'
    ? (value as ServedCall)
    : undefined;
}

/** One metrics sample per call, and its procedure, code, duration and model for the access log. */
const observe = t.middleware(async ({ ctx, path, next }) => {
  const started = performance.now();
  const result = await next();
  const seconds = (performance.now() - started) / 1000;
  const code = result.ok ? 'OK' : errorCodeOf(result.error);
  ctx.metrics.recordCall(path, code, seconds);
  const served = result.ok ? servedCall(result.data) : undefined;
  if (served) ctx.metrics.recordServed(served);
  const generated = result.ok
    ? (result.data as { ttftMs?: unknown; tokensPerSecond?: unknown })
    : {};
  if (
    served &&
    typeof generated.ttftMs === 'number' &&
    typeof generated.tokensPerSecond === 'number'
  ) {
    ctx.metrics.recordGeneration(
      served.model,
      served.version,
      generated.ttftMs,
      generated.tokensPerSecond,
    );
  }
  ctx.calls.push({
    procedure: path,
    code,
    durationMs: Math.round(seconds * 10_000) / 10,
    ...(served ? { model: served.model, version: served.version } : {}),
  });
  return result;
});

/** Gives engine errors their proper tRPC code (a missing model is 404, not 500). */
const mapEngineErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) throw toApiError(result.error);
  return result;
});

/**
 * The gate in front of every procedure but health, as one middleware (each tRPC middleware costs
 * a hop per call): a valid key when keys are configured, the scope the procedure needs (admin
 * passes everywhere), then one call off the caller's allowance (per key, or per address with auth
 * off).
 */
function guard(scope: Scope | undefined) {
  return t.middleware(async ({ ctx, path, next }) => {
    const { authentication } = ctx;
    if (authentication === 'missing') {
      throw new ApiError(
        'UNAUTHORIZED',
        'an API key is required: send it as "Authorization: Bearer <key>"',
      );
    }
    if (authentication === 'invalid') throw new ApiError('UNAUTHORIZED', 'unknown API key');
    if (scope && typeof authentication === 'object' && !allows(authentication, scope)) {
      throw new ApiError('FORBIDDEN', `API key "${authentication.id}" lacks the ${scope} scope`);
    }
    if (ctx.rateLimiter.enabled) {
      const subject = authentication === 'off' ? `address:${ctx.clientAddress}` : ctx.owner;
      const state = await ctx.rateLimiter.consume(path, subject);
      // The tightest limit among a batch's calls is the one worth reporting.
      if (
        state &&
        (!ctx.response.rateLimit || state.remaining < ctx.response.rateLimit.remaining)
      ) {
        ctx.response.rateLimit = state;
      }
    }
    return next();
  });
}

/** Open to anyone (health). */
export const publicProcedure = t.procedure.use(observe).use(mapEngineErrors);
/** Any valid key: reading the model list. */
export const callerProcedure = publicProcedure.use(guard(undefined));
/** Inference: embed, predict, chat. */
export const inferProcedure = publicProcedure.use(guard('infer'));
/** Background jobs. */
export const jobsProcedure = publicProcedure.use(guard('jobs'));
/** Loading and unloading models. */
export const adminProcedure = publicProcedure.use(guard('admin'));
