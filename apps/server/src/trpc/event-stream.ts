import { once } from 'node:events';
import { appRouter, type ApiDependencies } from '@mlrpc/api';
import { getErrorShape, isTrackedEnvelope, TRPCError, transformTRPCResponse } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { contextFor } from '../request-context.js';
import { responseHeaders } from '../response-headers.js';
import { deserializeInput, runProcedure } from './procedure-calls.js';
import { parseJson } from './request-body.js';

const config = appRouter._def._config;
const serialize = (value: unknown) => JSON.stringify(config.transformer.output.serialize(value));

/** A failure as tRPC's error: its own as they are, anything else as an internal error. */
function asTRPCError(cause: unknown): TRPCError {
  return cause instanceof TRPCError
    ? cause
    : new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: String(cause), cause });
}

/** One SSE frame, written as one chunk (tRPC's own producer writes four per event). */
function frame(fields: { event?: string; data: string; id?: string }): string {
  return `${fields.event ? `event: ${fields.event}\n` : ''}data: ${fields.data}\n${fields.id === undefined ? '' : `id: ${fields.id}\n`}\n`;
}

/** The id of the last event a reconnecting client saw: header first, as tRPC reads it. */
function lastEventIdOf(request: IncomingMessage, query: URLSearchParams): string | undefined {
  const header = request.headers['last-event-id'];
  if (typeof header === 'string' && header) return header;
  return query.get('lastEventId') ?? query.get('Last-Event-Id') ?? undefined;
}

/**
 * A subscription over SSE in tRPC's protocol (`connected`, data frames with ids, `return` at
 * the end, `serialized-error` for a failure after the stream began), without the fetch
 * adapter's web streams. The stream's first event is awaited before any byte is sent: a call
 * refused at once (bad input, a full queue, an unknown generation) gets a plain HTTP error with
 * its status and Retry-After, which every client understands.
 */
export async function serveEventStream(
  dependencies: ApiDependencies,
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  query: URLSearchParams,
): Promise<void> {
  const connectionParams = parseConnectionParams(query);
  const ctx = contextFor(dependencies, request, connectionParams);
  const controller = new AbortController();
  response.once('close', () => controller.abort());
  /** An error's shape for the caller, before or during the stream; ours (500s) are logged. */
  const shapeOf = (error: TRPCError) => {
    if (error.code === 'INTERNAL_SERVER_ERROR') {
      request.log.error({ err: error, procedure: path }, 'procedure failed');
    }
    return getErrorShape({ config, error, type: 'subscription', path, input: undefined, ctx });
  };
  const outcome = await runProcedure({
    ctx,
    path,
    type: 'subscription',
    input: () => {
      const input = deserializeInput(parseJson(query.get('input') ?? undefined));
      const lastEventId = lastEventIdOf(request, query);
      if (!lastEventId) return input;
      return input !== null && typeof input === 'object'
        ? { ...input, lastEventId }
        : { lastEventId };
    },
    signal: controller.signal,
    batchIndex: 0,
  });
  const iterator = outcome.ok
    ? (outcome.data as AsyncIterable<unknown>)[Symbol.asyncIterator]()
    : undefined;
  let first: IteratorResult<unknown> | undefined;
  let failure = outcome.ok ? undefined : outcome.error;
  if (iterator) {
    try {
      first = await iterator.next();
    } catch (cause) {
      failure = asTRPCError(cause);
    }
  }
  if (controller.signal.aborted) {
    await iterator?.return?.();
    return;
  }
  if (failure || !iterator || !first) {
    const error =
      failure ??
      new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: `${path} did not stream` });
    const shape = shapeOf(error);
    response.writeHead(getHTTPStatusCodeFromError(error), {
      'content-type': 'application/json',
      ...responseHeaders(ctx, [error]),
    });
    response.end(JSON.stringify(transformTRPCResponse(config, { error: shape })));
    return;
  }
  response.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache, no-transform',
    'x-accel-buffering': 'no',
    connection: 'keep-alive',
    ...responseHeaders(ctx, []),
  });
  response.write(frame({ event: 'connected', data: '{}' }));
  try {
    for (let step = first; !step.done; step = await iterator.next()) {
      const value = step.value;
      const written = response.write(
        isTrackedEnvelope(value)
          ? frame({ data: serialize(value[1]), id: value[0] })
          : frame({ data: serialize(value) }),
      );
      // A slow reader holds the stream back instead of growing this process's buffers.
      if (!written) await once(response, 'drain', { signal: controller.signal });
    }
    response.end(frame({ event: 'return', data: '' }));
  } catch (cause) {
    if (controller.signal.aborted) return;
    const shape = shapeOf(asTRPCError(cause));
    response.end(frame({ event: 'serialized-error', data: serialize(shape) }));
  } finally {
    await iterator.return?.();
  }
}

/** tRPC's connection params (a browser's EventSource cannot send headers), if the query has them. */
function parseConnectionParams(query: URLSearchParams): Record<string, string | undefined> | null {
  const raw = query.get('connectionParams');
  if (raw === null) return null;
  try {
    const parsed = JSON.parse(raw) as unknown;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
    return Object.fromEntries(
      Object.entries(parsed).filter(
        (entry): entry is [string, string] => typeof entry[1] === 'string',
      ),
    );
  } catch {
    return null;
  }
}
