import type OpenAI from 'openai';
import type { FinishReason } from '@mlrpc/schema';
import type { BatchWorker } from '../batching/batch-queue.js';
import { ModelError } from '../model-error.js';
import type { CallOptions, CallResult } from '../worker/worker-instance.js';
import type { WorkerCall } from '../worker/worker-protocol.js';
import { upstreamError } from './upstream-error.js';

const finishReasons: Record<string, FinishReason> = { stop: 'stop', length: 'length' };

/**
 * One slot of concurrency on a remote OpenAI-compatible server. It stands where a model worker
 * thread would, so remote models get the same bounded queue, deadlines and cancellation.
 */
export class UpstreamChatWorker implements BatchWorker {
  readonly isAlive = true;
  busy = false;

  constructor(
    private readonly client: OpenAI,
    private readonly remoteModel: string,
    private readonly timeoutMs: number,
  ) {}

  async call(call: WorkerCall, options: CallOptions): Promise<CallResult> {
    if (call.kind !== 'generate') {
      throw new ModelError(
        'TASK_MISMATCH',
        `an upstream chat model cannot run a ${call.kind} call`,
      );
    }
    const { maxTokens, temperature, topP, stop, continueFrom, seed } = call.options;
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
            ? [...call.messages, { role: 'assistant', content: continueFrom }]
            : call.messages,
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
          options.onEvent?.({ text: piece });
        }
        if (choice?.finish_reason) finishReason = finishReasons[choice.finish_reason] ?? 'stop';
        if (chunk.usage) {
          usage = {
            promptTokens: chunk.usage.prompt_tokens,
            completionTokens: chunk.usage.completion_tokens,
          };
          options.onEvent?.({ tokens: chunk.usage.completion_tokens });
        }
      }
    } catch (error) {
      if (options.signal?.aborted) finishReason = 'abort';
      else throw upstreamError(error, this.client.baseURL);
    }
    return {
      result: { kind: 'generate', generation: { text, finishReason, ...usage } },
      inferenceTimeMs: performance.now() - started,
    };
  }
}
