import { chatRouter } from './router/chat.js';
import { embedProcedure } from './router/embed.js';
import { healthProcedure } from './router/health.js';
import { jobsRouter } from './router/jobs.js';
import { modelsRouter } from './router/models.js';
import { predictImageProcedure } from './router/predict-image.js';
import { predictProcedure } from './router/predict.js';
import { rerankProcedure } from './router/rerank.js';
import { createCallerFactory, router } from './trpc.js';

export const appRouter = router({
  health: healthProcedure,
  models: modelsRouter,
  embed: embedProcedure,
  predict: predictProcedure,
  predictImage: predictImageProcedure,
  rerank: rerankProcedure,
  chat: chatRouter,
  jobs: jobsRouter,
});

export type AppRouter = typeof appRouter;

/** Calls procedures in-process with the same validation and errors as over HTTP (the /v1 routes). */
export const createCaller = createCallerFactory(appRouter);
