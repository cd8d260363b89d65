import { appRouter, type ApiDependencies, type Context } from '@mlrpc/api';
import {
  callTRPCProcedure,
  getErrorShape,
  getTRPCErrorFromUnknown,
  TRPCError,
  transformTRPCResponse,
} from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import type { NextFunction, Request, Response } from 'express';
import { contextFor } from './request-context.js';
import { responseHeaders } from './response-headers.js';

type ProcedureType = 'query' | 'mutation' | 'subscription';

const procedureTypes = new Map<string, ProcedureType>(
  Object.entries(
    appRouter._def.procedures as unknown as Record<string, { _def: { type: ProcedureType } }>,
  ).map(([path, procedure]) => [path, procedure._def.type]),
);

function readBody(request: Request, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(
          new TRPCError({
            code: 'PAYLOAD_TOO_LARGE',
            message: `request body exceeds ${limit} bytes`,
          }),
        );
        request.pause();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function parseJson(text: string): unknown {
  try {
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch (cause) {
    throw new TRPCError({ code: 'PARSE_ERROR', message: 'request body is not valid JSON', cause });
  }
}

/**
 * Serves one non-batched tRPC query (GET) or mutation (POST) over plain HTTP with tRPC's own
 * core (`callTRPCProcedure`, its error shapes and status codes), skipping the fetch adapter's
 * conversion of every request to a Fetch Request and web streams, which cost about a third of
 * the event loop per call. Anything else (batches, subscriptions, other content types) goes on to
 * the standard adapter.
 */
export function singleCallHandler(dependencies: ApiDependencies, bodyLimit: number) {
  const transformer = appRouter._def._config.transformer;
  return async (request: Request, response: Response, next: NextFunction): Promise<void> => {
    const path = request.path.slice(1);
    const type = procedureTypes.get(path);
    const wanted =
      request.method === 'POST' ? 'mutation' : request.method === 'GET' ? 'query' : undefined;
    const isJson =
      request.method === 'GET' ||
      (request.headers['content-type'] ?? '').startsWith('application/json');
    if (!type || type !== wanted || 'batch' in request.query || !isJson) {
      next();
      return;
    }
    const ctx: Context = contextFor(dependencies, request);
    const controller = new AbortController();
    response.once('close', () => {
      if (!response.writableFinished) controller.abort();
    });
    let input: unknown;
    let status = 200;
    let headers: Record<string, string>;
    let body: unknown;
    try {
      const raw =
        type === 'query'
          ? parseJson(typeof request.query.input === 'string' ? request.query.input : '')
          : parseJson(await readBody(request, bodyLimit));
      if (raw !== undefined && (raw === null || typeof raw !== 'object')) {
        throw new TRPCError({
          code: 'BAD_REQUEST',
          message: 'the body must be a superjson envelope: {"json": <input>}',
        });
      }
      input = raw === undefined ? undefined : transformer.input.deserialize(raw);
      const data: unknown = await callTRPCProcedure({
        router: appRouter,
        path,
        type,
        ctx,
        getRawInput: () => Promise.resolve(input),
        signal: controller.signal,
        batchIndex: 0,
      });
      body = transformTRPCResponse(appRouter._def._config, { result: { data } });
      headers = responseHeaders(ctx, []);
    } catch (cause) {
      const error = getTRPCErrorFromUnknown(cause);
      if (error.code === 'INTERNAL_SERVER_ERROR')
        request.log.error({ err: error, procedure: path }, 'procedure failed');
      const shape = getErrorShape({
        config: appRouter._def._config,
        error,
        type,
        path,
        input,
        ctx,
      });
      status = getHTTPStatusCodeFromError(error);
      headers = responseHeaders(ctx, [error]);
      // The rest of an oversized body was never read: the socket cannot carry another request.
      if (error.code === 'PAYLOAD_TOO_LARGE') headers.connection = 'close';
      body = transformTRPCResponse(appRouter._def._config, { error: shape });
    }
    if (response.headersSent || controller.signal.aborted) return;
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(JSON.stringify(body));
  };
}
