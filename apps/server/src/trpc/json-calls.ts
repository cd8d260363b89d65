import { appRouter, type ApiDependencies, type Context } from '@mlrpc/api';
import {
  getErrorShape,
  getTRPCErrorFromUnknown,
  TRPCError,
  transformTRPCResponse,
} from '@trpc/server';
import { getHTTPStatusCode } from '@trpc/server/http';
import { setMaxListeners } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { contextFor } from '../request-context.js';
import { healthStatusCode } from './health-status.js';
import { responseHeaders } from '../response-headers.js';
import {
  deserializeInput,
  procedureTypeOf,
  runProcedure,
  type CallOutcome,
  type ProcedureType,
} from './procedure-calls.js';
import type { LeanCall } from './lean-call.js';
import { parseJson, readBody } from './request-body.js';
import { discardRestOfBody } from '../refused-body.js';
import { readUploadForm, type UploadLimits } from '../upload-form.js';

/** Calls in one batch at most, as the client splits them. */
const maxBatchCalls = 100;

const config = appRouter._def._config;

interface CallPlan {
  path: string;
  type: ProcedureType | undefined;
  input: () => unknown;
}

/** The calls a request asks for, with lazy inputs (a bad input fails its own call only). */
async function planCalls(
  request: IncomingMessage,
  call: LeanCall,
  uploadLimits: UploadLimits,
): Promise<CallPlan[]> {
  const { bodyLimit } = uploadLimits;
  const { paths, batch } = call;
  if (call.form) {
    if (batch || paths.length !== 1) {
      throw new TRPCError({
        code: 'BAD_REQUEST',
        message: 'a form upload is one call to one procedure: it cannot be batched',
      });
    }
    // Form fields are the input itself: no superjson envelope around them. A form to no
    // mutation is refused below without reading it (its body is then dropped, not kept).
    const fields =
      procedureTypeOf(paths[0] ?? '') === 'mutation'
        ? await readUploadForm(request, uploadLimits)
        : undefined;
    return paths.map((path) => ({ path, type: procedureTypeOf(path), input: () => fields }));
  }
  const text =
    request.method === 'GET'
      ? (call.query.get('input') ?? undefined)
      : await readBody(request, bodyLimit);
  let raw: unknown;
  let failure: TRPCError | undefined;
  try {
    raw = parseJson(text);
    if (
      batch &&
      raw !== undefined &&
      (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    ) {
      throw new TRPCError({
        code: 'BAD_REQUEST',
        message: '"input" needs to be an object when doing a batch call',
      });
    }
  } catch (cause) {
    failure = getTRPCErrorFromUnknown(cause);
  }
  return paths.map<CallPlan>((path, index) => ({
    path,
    type: procedureTypeOf(path),
    input: () => {
      if (failure) throw failure;
      const own = batch ? (raw as Record<string, unknown> | undefined)?.[String(index)] : raw;
      return deserializeInput(own);
    },
  }));
}

function envelope(ctx: Context, plan: CallPlan, outcome: CallOutcome) {
  if (outcome.ok) return { result: { data: outcome.data } };
  return {
    error: getErrorShape({
      config,
      error: outcome.error,
      type: plan.type ?? 'unknown',
      path: plan.path,
      input: undefined,
      ctx,
    }),
  };
}

/**
 * Queries (GET) and mutations (POST) over plain JSON, one call or a batch (`?batch=1`, the
 * typed client's default), through tRPC's own core, error shapes and status codes: none of the
 * fetch adapter's conversion of each request to a Fetch Request and web streams.
 */
export async function serveJsonCalls(
  dependencies: ApiDependencies,
  request: IncomingMessage,
  response: ServerResponse,
  call: LeanCall,
  uploadLimits: UploadLimits,
): Promise<void> {
  const options = { paths: call.paths, batch: call.batch };
  const ctx = contextFor(dependencies, request);
  const controller = new AbortController();
  // Every call of a batch (up to 100) watches this one request's signal, and the model queues
  // each add a listener: not a leak (it lives as long as the request), so no warning past ten.
  setMaxListeners(0, controller.signal);
  response.once('close', () => {
    if (!response.writableFinished) controller.abort();
  });
  const wanted: ProcedureType = request.method === 'GET' ? 'query' : 'mutation';
  const allowed = new Set<string>();
  let plans: CallPlan[];
  let body: unknown;
  let status: number;
  let errors: TRPCError[];
  try {
    if (options.paths.length > maxBatchCalls) {
      throw new TRPCError({
        code: 'BAD_REQUEST',
        message: `a batch holds at most ${maxBatchCalls} calls`,
      });
    }
    plans = await planCalls(request, call, uploadLimits);
    const outcomes = await Promise.all(
      plans.map(async (plan, batchIndex): Promise<CallOutcome> => {
        // The same words as tRPC's adapter, so a client sees one server whichever path it took.
        if (!plan.type) {
          const error = new TRPCError({
            code: 'NOT_FOUND',
            message: `No procedure found on path "${plan.path}"`,
          });
          return { ok: false, error };
        }
        if (plan.type !== wanted) {
          allowed.add(plan.type === 'mutation' ? 'POST' : 'GET');
          const error = new TRPCError({
            code: 'METHOD_NOT_SUPPORTED',
            message: `Unsupported ${request.method}-request to ${plan.type} procedure at path "${plan.path}"`,
          });
          return { ok: false, error };
        }
        return runProcedure({
          ctx,
          path: plan.path,
          type: plan.type,
          input: plan.input,
          signal: controller.signal,
          batchIndex,
        });
      }),
    );
    errors = outcomes.flatMap((outcome) => (outcome.ok ? [] : [outcome.error]));
    const envelopes = outcomes.map((outcome, index) =>
      envelope(ctx, plans[index] as CallPlan, outcome),
    );
    status = getHTTPStatusCode(options.batch ? envelopes : envelopes[0]!, errors);
    // Like GET /health: a probe pointed at the tRPC route sees an unhealthy server as 503.
    if (!options.batch && plans[0]?.path === 'health' && outcomes[0]?.ok) {
      status = healthStatusCode(outcomes[0].data, status);
    }
    body = transformTRPCResponse(config, options.batch ? envelopes : envelopes[0]!);
  } catch (cause) {
    // The request as a whole is unreadable (too big, unreadable body): one error answers it.
    const error = getTRPCErrorFromUnknown(cause);
    errors = [error];
    const shape = {
      error: getErrorShape({
        config,
        error,
        type: 'unknown',
        path: undefined,
        input: undefined,
        ctx,
      }),
    };
    status = getHTTPStatusCode(shape, errors);
    body = transformTRPCResponse(config, options.batch ? [shape] : shape);
  }
  for (const error of errors) {
    if (error.code === 'INTERNAL_SERVER_ERROR') {
      request.log.error({ err: error, procedures: options.paths }, 'procedure failed');
    }
  }
  if (response.headersSent || controller.signal.aborted) return;
  const headers = responseHeaders(ctx, errors);
  if (allowed.size > 0) headers.allow = [...allowed].join(', ');
  discardRestOfBody(request, response);
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}
