import type { ErrorCode, Scope } from '@mlrpc/schema';
import { getTRPCErrorFromUnknown, initTRPC } from '@trpc/server';
import type { OpenApiMeta } from 'trpc-to-openapi';
import { ApiError, errorCodeOf, toApiError } from './api-error.js';
import { allows } from './auth/api-key-ring.js';
import type { Context } from './context.js';
import { formatError } from './error-formatter.js';
import type { ServedCall } from './metrics/api-metrics.js';
import { wireTransformer } from './wire-transformer.js';

const t = initTRPC.meta<OpenApiMeta>().context<Context>().create({
  transformer: wireTransformer,
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
function observe(
  context: Context,
  path: string,
  started: number,
  code: ErrorCode | 'OK',
  data: unknown,
) {
  const seconds = (performance.now() - started) / 1000;
  context.metrics.recordCall(path, code, seconds);
  const served = servedCall(data);
  if (served) {
    context.metrics.recordServed(served);
    const generated = data as { ttftMs?: unknown; tokensPerSecond?: unknown };
    if (typeof generated.ttftMs === 'number' && typeof generated.tokensPerSecond === 'number') {
      context.metrics.recordGeneration(
        served.model,
        served.version,
        generated.ttftMs,
        generated.tokensPerSecond,
      );
    }
  }
  context.calls.push({
    procedure: path,
    code,
    durationMs: Math.round(seconds * 10_000) / 10,
    ...(served ? { model: served.model, version: served.version } : {}),
  });
}

/**
 * The gate in front of every procedure but health: a valid key when keys are configured, the
 * scope the procedure needs (admin passes everywhere), then one call off the caller's allowance
 * (per key, or per address with auth off). Refuses by throwing an ApiError.
 */
async function admit(context: Context, path: string, scopes: readonly Scope[]): Promise<void> {
  const { authentication } = context;
  if (authentication === 'missing') {
    throw new ApiError(
      'UNAUTHORIZED',
      'an API key is required: send it as "Authorization: Bearer <key>"',
    );
  }
  if (authentication === 'invalid') throw new ApiError('UNAUTHORIZED', 'unknown API key');
  const lacking =
    typeof authentication === 'object'
      ? scopes.filter((scope) => !allows(authentication, scope))
      : [];
  if (typeof authentication === 'object' && lacking.length > 0) {
    throw new ApiError(
      'FORBIDDEN',
      `API key "${authentication.id}" lacks the ${lacking.join(' and ')} scope${lacking.length > 1 ? 's' : ''}${scopes.length > 1 ? ` (this call needs ${scopes.join(' and ')})` : ''}`,
    );
  }
  if (context.rateLimiter.enabled) {
    const subject = authentication === 'off' ? `address:${context.clientAddress}` : context.owner;
    const state = await context.rateLimiter.consume(path, subject);
    // The tightest limit among a batch's calls is the one worth reporting.
    if (
      state &&
      (!context.response.rateLimit || state.remaining < context.response.rateLimit.remaining)
    ) {
      context.response.rateLimit = state;
    }
  }
}

/** Who may call a procedure: anyone, any valid key, or a key with these scopes. */
type Access = 'public' | 'caller' | readonly Scope[];

/**
 * Everything around a call as one middleware (each tRPC middleware is a hop per call): the gate,
 * engine errors given their proper tRPC code (a missing model is 404, not 500), and the call
 * observed for metrics and the access log whatever its outcome.
 */
function guardedCall(access: Access) {
  return t.middleware(async ({ ctx, path, next }) => {
    const started = performance.now();
    try {
      if (access !== 'public') await admit(ctx, path, access === 'caller' ? [] : access);
      const result = await next();
      if (!result.ok) throw toApiError(result.error);
      observe(ctx, path, started, 'OK', result.data);
      return result;
    } catch (error) {
      const failure = getTRPCErrorFromUnknown(error);
      observe(ctx, path, started, errorCodeOf(failure), undefined);
      throw failure;
    }
  });
}

/** Open to anyone (health). */
export const publicProcedure = t.procedure.use(guardedCall('public'));
/** Any valid key: reading the model list. */
export const callerProcedure = t.procedure.use(guardedCall('caller'));
/** Inference: embed, predict, chat. */
export const inferProcedure = t.procedure.use(guardedCall(['infer']));
/** Following and cancelling background jobs. */
export const jobsProcedure = t.procedure.use(guardedCall(['jobs']));
/** Submitting a job: it runs inference, so the key needs both scopes. */
export const submitJobProcedure = t.procedure.use(guardedCall(['jobs', 'infer']));
/** Loading and unloading models. */
export const adminProcedure = t.procedure.use(guardedCall(['admin']));
