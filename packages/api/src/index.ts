import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from './root.js';

export { ApiError, errorCodeOf } from './api-error.js';
export { GenerationStore } from './chat/generation-store.js';
export { createContext, type ApiDependencies, type Context } from './context.js';
export type { ErrorShape } from './error-formatter.js';
export type { ImageFetchOptions } from './image/fetch-image.js';
export { createJobProcessor } from './jobs/process-job.js';
export { appRouter, type AppRouter } from './root.js';
export { createCallerFactory } from './trpc.js';

import { appRouter } from './root.js';
import { createCallerFactory } from './trpc.js';

/** Calls procedures in-process with the same validation and errors as over HTTP (the /v1 routes). */
export const createCaller = createCallerFactory(appRouter);

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
