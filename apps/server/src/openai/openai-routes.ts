import { ApiError, createCaller, type ApiDependencies } from '@mlrpc/api';
import { contextFor } from '../request-context.js';
import {
  openAIChatRequestSchema,
  openAIEmbeddingsRequestSchema,
  type ChatStreamEvent,
  type FinishReason,
} from '@mlrpc/schema';
import { TRPCError } from '@trpc/server';
import express, { Router, type Request } from 'express';
import { parseOpenAIRequest, sendOpenAIError, toOpenAIError } from './openai-error.js';
import { rerankRoute } from './rerank-route.js';
import { toChatInput } from './to-chat-input.js';

const finishReason = (reason: FinishReason) => (reason === 'length' ? 'length' : 'stop');

/**
 * OpenAI-compatible routes, so OpenAI SDKs and tools talk to mlrpc unchanged. They call the
 * same tRPC procedures in-process, so validation, queues and errors are the ones of /trpc.
 */
export function openAIRoutes(dependencies: ApiDependencies, bodyLimit: number): Router {
  const router = Router();
  router.use('/v1', express.json({ limit: bodyLimit }));
  const callerFor = (request: Request, signal: AbortSignal) =>
    createCaller(contextFor(dependencies, request), { signal });

  const created = Math.floor(dependencies.startedAt / 1000);
  const describeModel = (id: string) => ({ id, object: 'model', created, owned_by: 'mlrpc' });
  // Listing models needs a key like models.list does: the caller checks it.
  const modelIds = async (request: Request) => {
    const { models } = await callerFor(request, new AbortController().signal).models.list();
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
      if ((await modelIds(request)).includes(id)) {
        response.json(describeModel(id));
        return;
      }
      sendOpenAIError(
        response,
        new TRPCError({ code: 'NOT_FOUND', message: `unknown model "${id}"` }),
      );
    } catch (error) {
      sendOpenAIError(response, error);
    }
  });

  router.post('/v1/embeddings', async (request, response) => {
    try {
      const body = parseOpenAIRequest(openAIEmbeddingsRequestSchema, request.body);
      const controller = new AbortController();
      response.once('close', () => controller.abort());
      const result = await callerFor(request, controller.signal).embed({
        model: body.model,
        texts: typeof body.input === 'string' ? [body.input] : body.input,
        ...(body.user == null ? {} : { routingKey: body.user }),
      });
      const encode = (vector: number[]) =>
        body.encoding_format === 'base64'
          ? Buffer.from(Float32Array.from(vector).buffer).toString('base64')
          : vector;
      response.json({
        object: 'list',
        data: result.embeddings.map((vector, index) => ({
          object: 'embedding',
          index,
          embedding: encode(vector),
        })),
        model: result.model,
        usage: {
          prompt_tokens: result.usage.promptTokens,
          total_tokens: result.usage.promptTokens,
        },
      });
    } catch (error) {
      sendOpenAIError(response, error);
    }
  });

  rerankRoute(router, dependencies);

  router.post('/v1/chat/completions', async (request, response) => {
    const controller = new AbortController();
    response.once('close', () => {
      if (!response.writableFinished) controller.abort();
    });
    try {
      const body = parseOpenAIRequest(openAIChatRequestSchema, request.body);
      const caller = callerFor(request, controller.signal);
      const created = Math.floor(Date.now() / 1000);
      if (!body.stream) {
        const result = await caller.chat.complete(toChatInput(body));
        response.json({
          id: `chatcmpl-${result.generationId}`,
          object: 'chat.completion',
          created,
          model: result.model,
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content: result.text },
              finish_reason: finishReason(result.finishReason),
            },
          ],
          usage: {
            prompt_tokens: result.usage.promptTokens,
            completion_tokens: result.usage.completionTokens,
            total_tokens: result.usage.promptTokens + result.usage.completionTokens,
          },
        });
        return;
      }
      const events = await caller.chat.stream(toChatInput(body));
      let started = false;
      let id = '';
      const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
        `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: body.model, choices, ...extra })}\n\n`;
      for await (const [, event] of events as AsyncIterable<[string, ChatStreamEvent]>) {
        if (!started) {
          response.writeHead(200, {
            'content-type': 'text/event-stream',
            'cache-control': 'no-cache',
          });
          started = true;
        }
        if (event.type === 'start') {
          id = `chatcmpl-${event.generationId}`;
          response.write(
            chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]),
          );
        } else if (event.type === 'delta') {
          response.write(
            chunk([{ index: 0, delta: { content: event.text }, finish_reason: null }]),
          );
        } else if (event.type === 'error') {
          // A failure after the stream started: OpenAI's error body as the last event.
          const failure = toOpenAIError(new ApiError(event.errorCode, event.message));
          response.end(`data: ${JSON.stringify(failure.body)}\n\n`);
          return;
        } else {
          response.write(
            chunk([{ index: 0, delta: {}, finish_reason: finishReason(event.finishReason) }]),
          );
          if (body.stream_options?.include_usage) {
            const { promptTokens, completionTokens } = event.usage;
            response.write(
              chunk([], {
                usage: {
                  prompt_tokens: promptTokens,
                  completion_tokens: completionTokens,
                  total_tokens: promptTokens + completionTokens,
                },
              }),
            );
          }
        }
      }
      response.end('data: [DONE]\n\n');
    } catch (error) {
      if (controller.signal.aborted) return;
      if (!response.headersSent) {
        sendOpenAIError(response, error);
        return;
      }
      // Mid-stream failure: an error event in OpenAI's shape, then the stream ends.
      response.end(`data: ${JSON.stringify(toOpenAIError(error).body)}\n\n`);
    }
  });
  return router;
}
