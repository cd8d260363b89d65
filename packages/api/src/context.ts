import type { JobBackend } from '@mlrpc/jobs';
import type { ImageFetchOptions } from '@mlrpc/engine';
import type { ModelManager } from '@mlrpc/models';
import type { ApiKeyRing, Authentication, Caller } from './auth/api-key-ring.js';
import type { GenerationStore } from './chat/generation-store.js';
import type { ApiMetrics } from './metrics/api-metrics.js';
import type { ProcedureRateLimiter, RateLimitState } from './rate-limit/procedure-rate-limiter.js';

/** One procedure call, as the request's access log line reports it. */
export interface CallRecord {
  procedure: string;
  /** Our error code, or OK. */
  code: string;
  durationMs: number;
  model?: string;
  version?: string;
}

/** What the server hands every procedure: shared services plus this request's identity. */
export interface ApiDependencies {
  models: ModelManager;
  /** Background jobs (in-process, or on Redis). */
  jobs: JobBackend;
  /** Recent chat generations, so interrupted streams can resume. */
  generations: GenerationStore;
  imageFetch: ImageFetchOptions;
  /** The configured API keys; null turns authentication off (local use). */
  apiKeys: ApiKeyRing | null;
  rateLimiter: ProcedureRateLimiter;
  metrics: ApiMetrics;
  /** The server's version, reported by health. */
  serverVersion: string;
  startedAt: number;
  /** Aborts when shutdown's grace period runs out: open streams end, with a final event. */
  shutdown: AbortSignal;
}

/** What an adapter knows about the HTTP request behind a call. */
export interface IncomingCall {
  requestId: string;
  /** The key the caller presented (Authorization: Bearer, X-API-Key, or SSE connection params). */
  apiKey?: string | null | undefined;
  /** The caller's address: rate limits count per address when auth is off. */
  clientAddress?: string | undefined;
  /** Filled with the request's calls as they end (the adapter logs them). */
  calls?: CallRecord[] | undefined;
}

export interface Context extends ApiDependencies {
  requestId: string;
  /** Who is calling: jobs belong to their owner (the key's id; `anonymous` with auth off). */
  owner: string;
  /** `off` when no keys are configured. */
  authentication: Authentication | 'off';
  clientAddress: string;
  calls: CallRecord[];
  /** Filled in while calls run, for the adapter to turn into response headers. */
  response: { rateLimit?: RateLimitState };
}

/** Builds one request's context from what the adapter saw. */
export function createContext(dependencies: ApiDependencies, request: IncomingCall): Context {
  const authentication = dependencies.apiKeys?.authenticate(request.apiKey) ?? 'off';
  const caller: Caller | undefined =
    typeof authentication === 'object' ? authentication : undefined;
  // Spelled out rather than spread: this runs for every call, and a spread enumerates.
  return {
    models: dependencies.models,
    jobs: dependencies.jobs,
    generations: dependencies.generations,
    imageFetch: dependencies.imageFetch,
    apiKeys: dependencies.apiKeys,
    rateLimiter: dependencies.rateLimiter,
    metrics: dependencies.metrics,
    serverVersion: dependencies.serverVersion,
    startedAt: dependencies.startedAt,
    shutdown: dependencies.shutdown,
    requestId: request.requestId,
    owner: caller?.id ?? 'anonymous',
    authentication,
    clientAddress: request.clientAddress ?? 'unknown',
    calls: request.calls ?? [],
    response: {},
  };
}
