import type { AppRouter } from '@mlrpc/api';
import {
  httpBatchLink,
  httpLink,
  httpSubscriptionLink,
  retryLink,
  isNonJsonSerializable,
  splitLink,
  type TRPCLink,
} from '@trpc/client';
import { EventSource } from 'eventsource';
import superjson from 'superjson';
import type { ClientOptions, HeaderMap } from './client-options.js';
import { mlrpcErrorLink } from './error-link.js';
import { formUploadLink } from './form-upload-link.js';
import { reconnectLimitLink } from './reconnect-limit-link.js';
import { retryDelayMs, shouldRetry } from './retry-policy.js';

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
 * mlrpc's links (typed errors, safe retries, the API key on every call and SSE reconnect,
 * batching, file uploads as raw bytes, SSE subscriptions), for building a tRPC client yourself: React Query's
 * `createTRPCClient<AppRouter>({ links: mlrpcLinks({ url }) })`, say. `createClient` uses them.
 */
export function mlrpcLinks(options: ClientOptions): TRPCLink<AppRouter>[] {
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
  return [
    mlrpcErrorLink,
    retryLink({
      retry: (attempt) => shouldRetry(attempt, options.retries ?? 2),
      retryDelayMs,
    }),
    reconnectLimitLink(options.retries ?? 2),
    formUploadLink,
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
      false: splitLink({
        // Uploads (FormData, raw bytes) go one per request: batches are JSON.
        condition: (operation) => options.batch === false || isNonJsonSerializable(operation.input),
        true: httpLink(http),
        // Servers refuse very long URLs (batched queries travel in the query string), and one
        // huge batch waits for its slowest call: split big batches.
        false: httpBatchLink({ ...http, maxURLLength: 8_000, maxItems: 50 }),
      }),
    }),
  ];
}
