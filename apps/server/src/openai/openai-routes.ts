import { ApiError, createCaller, type ApiDependencies } from '@mlrpc/api';
import express, { Router, type Request } from 'express';
import { contextFor } from '../request-context.js';
import { maxJsonDepth, nestsDeeperThan } from '../json-depth.js';
import { chatCompletionsRoute } from './chat-completions-route.js';
import { completionsRoute } from './completions-route.js';
import { embeddingsRoute } from './embeddings-route.js';
import { sendOpenAIError } from './openai-error.js';
import { rerankRoute } from './rerank-route.js';

/**
 * OpenAI-compatible routes, so OpenAI SDKs and tools talk to mlrpc unchanged. They call the
 * same tRPC procedures in-process, so validation, queues and errors are the ones of /trpc.
 */
export function openAIRoutes(dependencies: ApiDependencies, bodyLimit: number): Router {
  const router = Router();
  router.use('/v1', express.json({ limit: bodyLimit }), (request, response, next) => {
    if (!nestsDeeperThan(request.body, maxJsonDepth)) {
      next();
      return;
    }
    sendOpenAIError(
      response,
      new ApiError('INVALID_INPUT', `request body nests deeper than ${maxJsonDepth} levels`),
    );
  });
  const created = Math.floor(dependencies.startedAt / 1000);
  const describeModel = (id: string) => ({ id, object: 'model', created, owned_by: 'mlrpc' });
  // Listing models needs a key like models.list does: the caller checks it.
  const modelIds = async (request: Request) => {
    const caller = createCaller(contextFor(dependencies, request), {
      signal: new AbortController().signal,
    });
    const { models } = await caller.models.list();
    return [...new Set(models.map((model) => model.id))];
  };
  router.get('/v1/models', async (request, response) => {
    try {
      response.json({ object: 'list', data: (await modelIds(request)).map(describeModel) });
    } catch (error) {
      sendOpenAIError(response, error);
    }
  });
  router.get('/v1/models/{*id}', async (request, response) => {
    const id = ([] as string[]).concat(request.params.id ?? []).join('/');
    try {
      if (!(await modelIds(request)).includes(id)) {
        throw new ApiError('MODEL_NOT_FOUND', `unknown model "${id}"`);
      }
      response.json(describeModel(id));
    } catch (error) {
      sendOpenAIError(response, error);
    }
  });
  embeddingsRoute(router, dependencies);
  rerankRoute(router, dependencies);
  chatCompletionsRoute(router, dependencies);
  completionsRoute(router, dependencies);
  return router;
}
