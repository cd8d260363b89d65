import { createContext, type ApiDependencies, type CallRecord, type Context } from '@mlrpc/api';
import type { IncomingMessage } from 'node:http';

/**
 * The API key a request presents: `Authorization: Bearer <key>`, `X-API-Key`, or for SSE from a
 * browser (EventSource cannot send headers) tRPC's connection params `{ apiKey }`.
 */
export function apiKeyFrom(
  request: IncomingMessage,
  connectionParams?: Record<string, string | undefined> | null,
): string | undefined {
  const authorization = request.headers.authorization;
  if (authorization?.toLowerCase().startsWith('bearer ')) return authorization.slice(7).trim();
  const header = request.headers['x-api-key'];
  if (typeof header === 'string') return header.trim();
  return connectionParams?.['apiKey'];
}

/** The tRPC context of one HTTP request, however it arrived (/trpc, batch, SSE, /v1). */
export function contextFor(
  dependencies: ApiDependencies,
  request: IncomingMessage,
  connectionParams?: Record<string, string | undefined> | null,
): Context {
  return createContext(dependencies, {
    requestId: request.id,
    apiKey: apiKeyFrom(request, connectionParams),
    clientAddress: request.socket.remoteAddress,
    calls: callsOf(request),
  });
}

const callsByRequest = new WeakMap<IncomingMessage, CallRecord[]>();

/** The procedure calls a request made so far (one, or a batch's), for its access log line. */
export function callsOf(request: IncomingMessage): CallRecord[] {
  let calls = callsByRequest.get(request);
  if (!calls) {
    calls = [];
    callsByRequest.set(request, calls);
  }
  return calls;
}

/**
 * A streamed call's real outcome for the access log: its record was made when the stream
 * opened (code OK, a few milliseconds); this gives it the code and duration of the whole stream.
 */
export function settleStreamedCalls(
  request: IncomingMessage,
  procedure: string,
  code: string,
  startedAt: number,
  servedBy?: { model: string; version: string },
): void {
  const durationMs = Math.round((performance.now() - startedAt) * 10) / 10;
  for (const call of callsOf(request)) {
    if (call.procedure !== procedure) continue;
    call.code = code;
    call.durationMs = durationMs;
    if (servedBy) Object.assign(call, servedBy);
  }
}
