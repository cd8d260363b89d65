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
