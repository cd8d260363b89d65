import { ApiError, createCaller, type ApiDependencies } from '@mlrpc/api';
import {
  openAICompletionRequestSchema,
  type ChatStreamEvent,
  type TokenLogprob,
} from '@mlrpc/schema';
import type { Router } from 'express';
import { contextFor, settleStreamedCalls } from '../request-context.js';
import { watchCaller } from './caller-watch.js';
import { openAIFinishReason } from './chat-completions-route.js';
import { parseOpenAIRequest, sendOpenAIError, toOpenAIError } from './openai-error.js';
import { toCompletionInput } from './to-chat-input.js';

/** Legacy completions' logprobs: parallel lists, the alternatives as token-to-logprob maps. */
function legacyLogprobs(logprobs: TokenLogprob[], offset: number) {
  const offsets: number[] = [];
  let at = offset;
  for (const entry of logprobs) {
    offsets.push(at);
    at += entry.token.length;
  }
  return {
    tokens: logprobs.map((entry) => entry.token),
    token_logprobs: logprobs.map((entry) => entry.logprob),
    top_logprobs: logprobs.map((entry) =>
      Object.fromEntries(entry.topLogprobs.map((top) => [top.token, top.logprob])),
    ),
    text_offset: offsets,
  };
}

/**
 * `POST /v1/completions`, OpenAI's legacy text completion for tools that still use it: the
 * prompt is continued as raw text (no chat template), whole or streamed.
 */
export function completionsRoute(router: Router, dependencies: ApiDependencies): void {
  router.post('/v1/completions', async (request, response) => {
    const watch = watchCaller(response);
    try {
      const body = parseOpenAIRequest(openAICompletionRequestSchema, request.body);
      if ((body.n ?? 1) > 1) {
        throw new ApiError(
          'INVALID_INPUT',
          'n: /v1/completions gives one choice; /v1/chat/completions gives several',
        );
      }
      const input = toCompletionInput(body);
      const caller = createCaller(contextFor(dependencies, request), { signal: watch.signal });
      const created = Math.floor(Date.now() / 1000);
      const prefix = body.echo ? (input.prompt ?? '') : '';
      if (!body.stream) {
        const result = await caller.chat.complete(input);
        const usage = result.usage;
        response.json({
          id: `cmpl-${result.generationId}`,
          object: 'text_completion',
          created,
          model: result.model,
          choices: [
            {
              index: 0,
              text: prefix + result.text,
              logprobs: result.logprobs ? legacyLogprobs(result.logprobs, prefix.length) : null,
              finish_reason: openAIFinishReason(result.finishReason),
            },
          ],
          usage: {
            prompt_tokens: usage.promptTokens,
            completion_tokens: usage.completionTokens,
            total_tokens: usage.promptTokens + usage.completionTokens,
          },
        });
        return;
      }
      const startedAt = performance.now();
      const iterator = (
        (await caller.chat.stream(input)) as AsyncIterable<[string, ChatStreamEvent]>
      )[Symbol.asyncIterator]();
      let step = await iterator.next();
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      let id = '';
      let offset = 0;
      let code = 'OK';
      const chunk = (text: string, extra: Record<string, unknown> = {}) =>
        `data: ${JSON.stringify({ id, object: 'text_completion', created, model: body.model, choices: [{ index: 0, text, logprobs: null, finish_reason: null, ...extra }] })}\n\n`;
      if (prefix) response.write(chunk(prefix));
      offset = prefix.length;
      while (!step.done) {
        const event = step.value[1];
        if (event.type === 'start') id = `cmpl-${event.generationId}`;
        else if (event.type === 'delta') {
          response.write(
            chunk(
              event.text,
              event.logprobs ? { logprobs: legacyLogprobs(event.logprobs, offset) } : {},
            ),
          );
          offset += event.text.length;
        } else if (event.type === 'error') {
          code = event.errorCode;
          response.write(
            `data: ${JSON.stringify(toOpenAIError(new ApiError(event.errorCode, event.message)).body)}\n\n`,
          );
        } else if (event.type === 'end') {
          response.write(chunk('', { finish_reason: openAIFinishReason(event.finishReason) }));
          if (body.stream_options?.include_usage) {
            const { promptTokens, completionTokens } = event.usage;
            response.write(
              `data: ${JSON.stringify({ id, object: 'text_completion', created, model: body.model, choices: [], usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens } })}\n\n`,
            );
          }
        }
        step = await iterator.next();
      }
      response.end(code === 'OK' ? 'data: [DONE]\n\n' : undefined);
      settleStreamedCalls(request, 'chat.stream', code, startedAt);
    } catch (error) {
      watch.stop();
      if (watch.left()) return;
      if (!response.headersSent) sendOpenAIError(response, error);
      else response.end(`data: ${JSON.stringify(toOpenAIError(error).body)}\n\n`);
    }
  });
}
