import type OpenAI from 'openai';
import type { FinishReason } from '@mlrpc/schema';
import type { BatchWorker, CallResult, WorkerCallOptions } from '../../../serving/batch-worker.js';
import type { GeneratePayload } from '../generate-codec.js';
import type { Generation } from '../text-generation-model.js';
import { upstreamError } from './upstream-error.js';

const finishReasons: Record<string, FinishReason> = { stop: 'stop', length: 'length' };

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
    const { maxTokens, temperature, topP, stop, continueFrom, seed } = payload.settings;
    const started = performance.now();
    const signal = options.signal
      ? AbortSignal.any([options.signal, AbortSignal.timeout(this.timeoutMs)])
      : AbortSignal.timeout(this.timeoutMs);
    let text = '';
    let finishReason: FinishReason = options.signal?.aborted ? 'abort' : 'stop';
    let usage = { promptTokens: 0, completionTokens: 0 };
    try {
      const stream = await this.client.chat.completions.create(
        {
          model: this.remoteModel,
          // A resumed generation asks the upstream to go on from what was already streamed.
          messages: continueFrom
            ? [...payload.messages, { role: 'assistant', content: continueFrom }]
            : payload.messages,
          max_tokens: maxTokens,
          temperature,
          top_p: topP,
          ...(stop.length > 0 ? { stop } : {}),
          ...(seed === undefined ? {} : { seed }),
          stream: true,
          stream_options: { include_usage: true },
        },
        { signal },
      );
      for await (const chunk of stream) {
        const choice = chunk.choices[0];
        const piece = choice?.delta.content;
        if (piece) {
          text += piece;
          options.onEvent?.({ text: piece, tokens: 0 });
        }
        if (choice?.finish_reason) finishReason = finishReasons[choice.finish_reason] ?? 'stop';
        if (chunk.usage) {
          usage = {
            promptTokens: chunk.usage.prompt_tokens,
            completionTokens: chunk.usage.completion_tokens,
          };
          options.onEvent?.({ text: '', tokens: chunk.usage.completion_tokens });
        }
      }
    } catch (error) {
      if (options.signal?.aborted) finishReason = 'abort';
      else throw upstreamError(error, this.client.baseURL);
    }
    return {
      result: { text, finishReason, ...usage },
      inferenceTimeMs: performance.now() - started,
    };
  }
}
