import type OpenAI from 'openai';
import type { FinishReason, TokenLogprob } from '@mlrpc/schema';
import type { BatchWorker, CallResult, WorkerCallOptions } from '../../../serving/batch-worker.js';
import type { GeneratePayload } from '../generate-codec.js';
import type { Generation, GenerationStep } from '../text-generation-model.js';
import { upstreamChatRequest } from './upstream-request.js';
import { UpstreamToolCalls } from './upstream-tool-calls.js';
import { upstreamError } from './upstream-error.js';
import { ModelError } from '../../../model-error.js';

const finishReasons: Record<string, FinishReason> = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'tool_calls',
  function_call: 'tool_calls',
};

type OpenAILogprob = OpenAI.Chat.Completions.ChatCompletionTokenLogprob;

function fromOpenAILogprob(entry: OpenAILogprob): TokenLogprob {
  return {
    token: entry.token,
    logprob: entry.logprob,
    bytes: entry.bytes ?? [],
    topLogprobs: entry.top_logprobs.map((top) => ({
      token: top.token,
      logprob: top.logprob,
      bytes: top.bytes ?? [],
    })),
  };
}

/**
 * One slot of concurrency on a remote OpenAI-compatible server. It stands where a model worker
 * thread would, so remote models get the same bounded queue, deadlines and cancellation.
 */
export class UpstreamChatClient implements BatchWorker<GeneratePayload, Generation> {
  readonly isAlive = true;
  readonly capacity = 1;
  running = 0;

  constructor(
    private readonly client: OpenAI,
    private readonly remoteModel: string,
    private readonly timeoutMs: number,
  ) {}

  async call(
    payload: GeneratePayload,
    options: WorkerCallOptions,
  ): Promise<CallResult<Generation>> {
    if (payload.settings.prompt !== undefined) {
      throw new ModelError(
        'INVALID_INPUT',
        'remote models are called through chat completions: a raw prompt needs a local model',
      );
    }
    const started = performance.now();
    const signal = options.signal
      ? AbortSignal.any([options.signal, AbortSignal.timeout(this.timeoutMs)])
      : AbortSignal.timeout(this.timeoutMs);
    let text = '';
    let finishReason: FinishReason = options.signal?.aborted ? 'abort' : 'stop';
    let usage = { promptTokens: 0, completionTokens: 0 };
    const toolCalls = new UpstreamToolCalls();
    let constrained = false;
    const emit = (step: GenerationStep) => options.onEvent?.(step);
    try {
      const stream = await this.client.chat.completions.create(
        upstreamChatRequest(this.remoteModel, payload),
        { signal },
      );
      for await (const chunk of stream) {
        const choice = chunk.choices[0];
        const logprobs = choice?.logprobs?.content?.map(fromOpenAILogprob);
        const calls = choice?.delta.tool_calls;
        // Tool calls come as the JSON a local model would write: one reader for both.
        const piece = calls?.length ? toolCalls.push(calls) : (choice?.delta.content ?? '');
        if (piece || logprobs?.length) {
          text += piece;
          emit({
            text: piece,
            tokens: 0,
            ...(logprobs?.length ? { logprobs } : {}),
            ...(calls?.length && !constrained ? { constrained: true } : {}),
          });
          if (calls?.length) constrained = true;
        }
        if (choice?.finish_reason) finishReason = finishReasons[choice.finish_reason] ?? 'stop';
        if (chunk.usage) {
          usage = {
            promptTokens: chunk.usage.prompt_tokens,
            completionTokens: chunk.usage.completion_tokens,
          };
          emit({ text: '', tokens: chunk.usage.completion_tokens });
        }
      }
      const closing = toolCalls.finish();
      if (closing) {
        text += closing;
        emit({ text: closing, tokens: 0 });
      }
    } catch (error) {
      if (options.signal?.aborted) finishReason = 'abort';
      else throw upstreamError(error);
    }
    return {
      result: { text, finishReason, ...usage, constrained },
      inferenceTimeMs: performance.now() - started,
    };
  }
}
