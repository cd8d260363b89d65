import type { AppRouter, RouterInputs } from '@mlrpc/api';
import type { ChatStreamEvent } from '@mlrpc/schema';
import {
  createTRPCClient,
  httpBatchLink,
  httpLink,
  httpSubscriptionLink,
  retryLink,
  splitLink,
  type TRPCClient,
} from '@trpc/client';
import { EventSource } from 'eventsource';
import superjson from 'superjson';
import { chatStream, type ChatStreamOptions } from './chat-stream.js';
import { mlrpcErrorLink } from './error-link.js';
import { retryDelayMs, shouldRetry } from './retry-policy.js';
import { waitForJob, type Job, type WaitForJobOptions } from './wait-for-job.js';

export type HeaderMap = Record<string, string>;

export interface ClientOptions {
  /** The server's base URL, e.g. `http://localhost:3000`; the tRPC path is added for you. */
  url: string;
  /** Sent as `Authorization: Bearer <key>` on every call and every SSE (re)connect. */
  apiKey?: string;
  /** Extra headers, fixed or computed per request (e.g. a fresh `X-Request-ID`). */
  headers?: HeaderMap | (() => HeaderMap);
  /** The tRPC mount path on the server; `/trpc` unless the server was configured otherwise. */
  path?: string;
  /** Merge calls made in the same tick into one HTTP request (default true). */
  batch?: boolean;
  /** A fetch implementation, for tests or runtimes without a global one. */
  fetch?: typeof globalThis.fetch;
  /**
   * Retries of a failed query (network failure, 502/503/504, a short 429), with backoff; 2 by
   * default, 0 turns them off. Mutations are never retried.
   */
  retries?: number;
}

/** Helpers on every client, beside the procedures (no procedure has these names). */
export interface ClientHelpers {
  /** One chat turn as an async iterable of events; aborting the signal stops the generation. */
  chatStream: (
    input: RouterInputs['chat']['stream'],
    options?: ChatStreamOptions,
  ) => AsyncGenerator<ChatStreamEvent>;
  /** Resolves with the job once it has finished, reporting progress on the way. */
  waitForJob: (jobId: string, options?: WaitForJobOptions) => Promise<Job>;
}

export type MlrpcClient = TRPCClient<AppRouter> & ClientHelpers;

/**
 * A subscription the server refused before streaming (bad input, a full queue, an unknown
 * generation) answers with a plain HTTP error; tRPC's SSE link reads errors as events, so the
 * refusal becomes the one event that carries it, with its code, request id and Retry-After.
 */
async function refusalAsEvent(response: Response): Promise<Response> {
  const type = response.headers.get('content-type') ?? '';
  if (response.ok || !type.includes('application/json')) return response;
  const body = (await response.json().catch(() => null)) as { error?: unknown } | null;
  if (!body?.error) return response;
  return new Response(`event: serialized-error\ndata: ${JSON.stringify(body.error)}\n\n`, {
    status: 200,
    headers: { 'content-type': 'text/event-stream' },
  });
}

function headersFor(options: ClientOptions): HeaderMap {
  const extra = typeof options.headers === 'function' ? options.headers() : options.headers;
  return {
    ...extra,
    ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
  };
}

/**
 * A typed mlrpc client for Node 20 and browsers alike: batched HTTP for queries and
 * mutations, SSE (through the `eventsource` package, which can send headers) for subscriptions.
 */
export function createClient(options: ClientOptions): MlrpcClient {
  const endpoint = `${options.url.replace(/\/+$/, '')}${options.path ?? '/trpc'}`;
  // Called through a wrapper: browsers refuse `fetch` detached from `window` (Illegal invocation).
  const fetchImplementation: typeof globalThis.fetch =
    options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const http = {
    url: endpoint,
    transformer: superjson,
    fetch: fetchImplementation,
    headers: () => headersFor(options),
  };
  const procedures = createTRPCClient<AppRouter>({
    links: [
      mlrpcErrorLink,
      retryLink({
        retry: (attempt) => shouldRetry(attempt, options.retries ?? 2),
        retryDelayMs,
      }),
      splitLink({
        condition: (operation) => operation.type === 'subscription',
        true: httpSubscriptionLink({
          url: endpoint,
          transformer: superjson,
          EventSource,
          eventSourceOptions: () => ({
            fetch: async (input: RequestInfo | URL, init?: RequestInit) =>
              refusalAsEvent(
                await fetchImplementation(input, {
                  ...init,
                  headers: { ...(init?.headers as HeaderMap | undefined), ...headersFor(options) },
                }),
              ),
          }),
        }),
        false:
          options.batch === false
            ? httpLink(http)
            : // Servers refuse very long URLs (batched queries travel in the query string), and
              // one huge batch waits for its slowest call: split big batches.
              httpBatchLink({ ...http, maxURLLength: 8_000, maxItems: 50 }),
      }),
    ],
  });
  const helpers: ClientHelpers = {
    chatStream: (input, streamOptions) => chatStream(procedures, input, streamOptions),
    waitForJob: (jobId, waitOptions) => waitForJob(procedures, jobId, waitOptions),
  };
  // tRPC's client is a proxy that turns every property into a procedure path; this one answers
  // the helpers' names itself and hands everything else on.
  return new Proxy(procedures, {
    get: (target, key, receiver) =>
      typeof key === 'string' && Object.hasOwn(helpers, key)
        ? helpers[key as keyof ClientHelpers]
        : (Reflect.get(target, key, receiver) as unknown),
  }) as MlrpcClient;
}
