import { appRouter, type Context } from '@mlrpc/api';
import { callTRPCProcedure, getTRPCErrorFromUnknown, TRPCError } from '@trpc/server';

export type ProcedureType = 'query' | 'mutation' | 'subscription';

const procedureTypes = new Map<string, ProcedureType>(
  Object.entries(
    appRouter._def.procedures as unknown as Record<string, { _def: { type: ProcedureType } }>,
  ).map(([path, procedure]) => [path, procedure._def.type]),
);

/** The type of the procedure at a path, or undefined when there is none. */
export function procedureTypeOf(path: string): ProcedureType | undefined {
  return procedureTypes.get(path);
}

const transformer = appRouter._def._config.transformer;

/**
 * A call's input from its superjson envelope. A malformed envelope (meta naming a type its
 * value cannot be, nesting deep enough to exhaust the stack) is the caller's mistake: 400.
 */
export function deserializeInput(raw: unknown): unknown {
  if (raw === undefined) return undefined;
  if (raw === null || typeof raw !== 'object') {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: 'the input must be a superjson envelope: {"json": <input>}',
    });
  }
  try {
    return transformer.input.deserialize(raw);
  } catch (cause) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: `the input's superjson envelope is malformed: ${cause instanceof Error ? cause.message : String(cause)}`,
      cause,
    });
  }
}

export type CallOutcome = { ok: true; data: unknown } | { ok: false; error: TRPCError };

/** Runs one call through tRPC's own core (middleware, validation, error shapes), never throwing. */
export async function runProcedure(options: {
  ctx: Context;
  path: string;
  type: ProcedureType;
  input: () => unknown;
  signal: AbortSignal;
  batchIndex: number;
}): Promise<CallOutcome> {
  try {
    const data: unknown = await callTRPCProcedure({
      router: appRouter,
      path: options.path,
      type: options.type,
      ctx: options.ctx,
      getRawInput: () => Promise.resolve().then(options.input),
      signal: options.signal,
      batchIndex: options.batchIndex,
    });
    return { ok: true, data };
  } catch (cause) {
    return { ok: false, error: getTRPCErrorFromUnknown(cause) };
  }
}
