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

/** With keys configured, every call but health needs a valid one. */
const authenticate = t.middleware(({ ctx, next }) => {
  if (ctx.authentication === 'missing') {
    throw new ApiError(
      'UNAUTHORIZED',
      'an API key is required: send it as "Authorization: Bearer <key>"',
    );
  }
  if (ctx.authentication === 'invalid') throw new ApiError('UNAUTHORIZED', 'unknown API key');
  return next();
});

/** Only keys with `scope` (or admin) pass; with auth off everyone does. */
function requireScope(scope: Scope) {
  return t.middleware(({ ctx, next }) => {
    const { authentication } = ctx;
    if (typeof authentication === 'object' && !allows(authentication, scope)) {
      throw new ApiError('FORBIDDEN', `API key "${authentication.id}" lacks the ${scope} scope`);
    }
    return next();
  });
}

/** Counts the call against the caller's allowance (per key, or per address with auth off). */
const rateLimit = t.middleware(async ({ ctx, path, next }) => {
  const subject = ctx.authentication === 'off' ? `address:${ctx.clientAddress}` : ctx.owner;
  const state = await ctx.rateLimiter.consume(path, subject);
  // The tightest limit among a batch's calls is the one worth reporting.
  if (state && (!ctx.response.rateLimit || state.remaining < ctx.response.rateLimit.remaining)) {
    ctx.response.rateLimit = state;
  }
  return next();
});

/** Open to anyone (health). */
export const publicProcedure = t.procedure.use(observe).use(mapEngineErrors);
const authenticated = publicProcedure.use(authenticate);
/** Any valid key: reading the model list. */
export const callerProcedure = authenticated.use(rateLimit);
/** Inference: embed, predict, chat. */
export const inferProcedure = authenticated.use(requireScope('infer')).use(rateLimit);
/** Background jobs. */
export const jobsProcedure = authenticated.use(requireScope('jobs')).use(rateLimit);
/** Loading and unloading models. */
export const adminProcedure = authenticated.use(requireScope('admin')).use(rateLimit);
