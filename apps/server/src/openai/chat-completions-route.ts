import { ApiError, createCaller, type ApiDependencies } from '@mlrpc/api';
import {
  openAIChatRequestSchema,
  type ChatCompleteOutput,
  type ChatInput,
  type ChatStreamEvent,
  type FinishReason,
  type TokenLogprob,
} from '@mlrpc/schema';
import type { Request, Response, Router } from 'express';
import { contextFor, settleStreamedCalls } from '../request-context.js';
import { watchCaller } from './caller-watch.js';
import { parseOpenAIRequest, sendOpenAIError, toOpenAIError } from './openai-error.js';
import { toChatInput } from './to-chat-input.js';

/** mlrpc's finish reasons as OpenAI's (`abort` never reaches a caller that is still there). */
export const openAIFinishReason = (reason: FinishReason) => (reason === 'abort' ? 'stop' : reason);

/** Token log-probabilities in OpenAI's shape. */
export function openAILogprobs(logprobs: TokenLogprob[]) {
  return logprobs.map((entry) => ({
    token: entry.token,
    logprob: entry.logprob,
    bytes: entry.bytes,
    top_logprobs: entry.topLogprobs.map((top) => ({
      token: top.token,
      logprob: top.logprob,
      bytes: top.bytes,
    })),
  }));
}

/** Choice `index` of `n`: seeded choices get seeds of their own, so they differ yet reproduce. */
function choiceInput(input: ChatInput, index: number): ChatInput {
  return input.seed === undefined || index === 0
    ? input
    : { ...input, seed: (input.seed + index) % 2 ** 32 };
}

function usageOf(outputs: Array<{ promptTokens: number; completionTokens: number }>) {
  const prompt = outputs[0]?.promptTokens ?? 0;
  const completion = outputs.reduce((sum, output) => sum + output.completionTokens, 0);
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
  };
}

function completionChoice(result: ChatCompleteOutput, index: number) {
  return {
    index,
    message: {
      role: 'assistant',
      content: result.toolCalls ? null : result.text,
      refusal: null,
      ...(result.toolCalls
        ? {
            tool_calls: result.toolCalls.map((call) => ({
              id: call.id,
              type: 'function',
              function: { name: call.name, arguments: call.arguments },
            })),
          }
        : {}),
    },
    logprobs: result.logprobs ? { content: openAILogprobs(result.logprobs), refusal: null } : null,
    finish_reason: openAIFinishReason(result.finishReason),
  };
}

/**
 * `POST /v1/chat/completions`, whole or streamed: `n` choices generated side by side, JSON
 * response formats and tool calls (streamed as OpenAI's `tool_calls` deltas), logprobs. A
 * refusal (bad input, a full queue) comes before the first byte, as a plain HTTP error.
 */
export function chatCompletionsRoute(router: Router, dependencies: ApiDependencies): void {
  router.post('/v1/chat/completions', async (request, response) => {
    const watch = watchCaller(response);
    try {
      const body = parseOpenAIRequest(openAIChatRequestSchema, request.body);
      const input = toChatInput(body);
      const choices = body.n ?? 1;
      const caller = createCaller(contextFor(dependencies, request), { signal: watch.signal });
      const created = Math.floor(Date.now() / 1000);
      if (!body.stream) {
        const results = await Promise.all(
          Array.from({ length: choices }, (_, index) =>
            caller.chat.complete(choiceInput(input, index)),
          ),
        );
        const first = results[0] as ChatCompleteOutput;
        response.json({
          id: `chatcmpl-${first.generationId}`,
          object: 'chat.completion',
          created,
          model: first.model,
          system_fingerprint: `${first.model}@${first.version}`,
          choices: results.map(completionChoice),
          usage: usageOf(results.map((result) => result.usage)),
        });
        return;
      }
      await streamChoices(request, response, body.stream_options?.include_usage ?? false, {
        created,
        model: body.model,
        streams: await Promise.all(
          Array.from({ length: choices }, (_, index) =>
            caller.chat.stream(choiceInput(input, index)),
          ),
        ),
      });
    } catch (error) {
      // Whatever else still runs for this request (other choices) stops with it.
      watch.stop();
      if (watch.left()) return;
      if (!response.headersSent) {
        sendOpenAIError(response, error);
        return;
      }
      // Mid-stream failure: an error event in OpenAI's shape, then the stream ends.
      response.end(`data: ${JSON.stringify(toOpenAIError(error).body)}\n\n`);
    }
  });
}

type EventStream = AsyncIterable<[string, ChatStreamEvent]>;

/**
 * Writes `n` streams as one SSE response of chunks. Each stream's first event is awaited before
 * the first byte, so a refusal still answers with its own status and Retry-After.
 */
async function streamChoices(
  request: Request,
  response: Response,
  includeUsage: boolean,
  run: { created: number; model: string; streams: unknown[] },
): Promise<void> {
  const startedAt = performance.now();
  const iterators = (run.streams as EventStream[]).map((stream) => stream[Symbol.asyncIterator]());
  const firsts = await Promise.all(iterators.map((iterator) => iterator.next())).catch(
    (error: unknown) => {
      for (const iterator of iterators) void iterator.return?.();
      throw error;
    },
  );
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  let id = '';
  let failure: string | undefined;
  const usages: Array<{ promptTokens: number; completionTokens: number }> = [];
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: run.created, model: run.model, choices, ...extra })}\n\n`;
  const write = (index: number, event: ChatStreamEvent) => {
    const choice = (delta: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
      response.write(chunk([{ index, delta, logprobs: null, finish_reason: null, ...extra }]));
    switch (event.type) {
      case 'start':
        id ||= `chatcmpl-${event.generationId}`;
        choice({ role: 'assistant', content: '' });
        return;
      case 'delta':
        choice(
          { content: event.text },
          event.logprobs
            ? { logprobs: { content: openAILogprobs(event.logprobs), refusal: null } }
            : {},
        );
        return;
      case 'tool-call-start':
        choice({
          tool_calls: [
            {
              index: event.index,
              id: event.id,
              type: 'function',
              function: { name: event.name, arguments: '' },
            },
          ],
        });
        return;
      case 'tool-call-delta':
        choice({ tool_calls: [{ index: event.index, function: { arguments: event.arguments } }] });
        return;
      case 'tool-call-end':
        return;
      case 'error':
        failure ??= event.errorCode;
        response.write(
          `data: ${JSON.stringify(toOpenAIError(new ApiError(event.errorCode, event.message)).body)}\n\n`,
        );
        return;
      case 'end':
        usages.push(event.usage);
        choice({}, { finish_reason: openAIFinishReason(event.finishReason) });
    }
  };
  await Promise.all(
    iterators.map(async (iterator, index) => {
      let step = firsts[index] as IteratorResult<[string, ChatStreamEvent]>;
      while (!step.done) {
        write(index, step.value[1]);
        step = await iterator.next();
      }
    }),
  );
  if (includeUsage && usages.length > 0) response.write(chunk([], { usage: usageOf(usages) }));
  response.end(failure ? undefined : 'data: [DONE]\n\n');
  settleStreamedCalls(request, 'chat.stream', failure ?? 'OK', startedAt);
}
