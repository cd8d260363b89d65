import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from './root.js';

export { ApiError, errorCodeOf } from './api-error.js';
export { MemoryGenerationStore, type GenerationStore } from './chat/generation-store.js';
export { RedisGenerationStore } from './chat/redis-generation-store.js';
export {
  allows,
  ApiKeyRing,
  hashApiKey,
  type Authentication,
  type Caller,
} from './auth/api-key-ring.js';
export { loadApiKeys } from './auth/load-api-keys.js';
export {
  createContext,
  type ApiDependencies,
  type CallRecord,
  type Context,
  type IncomingCall,
} from './context.js';
export { ApiMetrics } from './metrics/api-metrics.js';
export { ProcedureRateLimiter, type RateLimitState } from './rate-limit/procedure-rate-limiter.js';
export { parseRateLimitRules, type RateLimitRules } from './rate-limit/rate-limit-rules.js';
export { fieldErrorsOf, type ErrorShape } from './error-formatter.js';
export { appRouter, createCaller, type AppRouter } from './root.js';

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export { createOpenApiDocument, restPrefix } from './openapi/openapi-document.js';
