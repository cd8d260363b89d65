import { ModelError, ToolCallStream, type GenerationStep, type ModelManager } from '@mlrpc/models';
import type { ChatStreamEvent, FinishReason, TokenLogprob } from '@mlrpc/schema';
import type { ApiMetrics } from '../metrics/api-metrics.js';
import type { StoredGeneration } from './stored-generation.js';

/**
 * Runs (or, after an interruption, continues) a stored generation in this process, recording its
 * events and where decoding stands. A local model continues from the token ids generated so far
 * (exact: no re-tokenized text in between), a remote one from the text, on the same model
 * version, with the tokens left. `generation.run` stops it.
 */
export async function runGeneration(
  generation: StoredGeneration,
  models: ModelManager,
  metrics?: ApiMetrics,
): Promise<void> {
  const { settings } = generation;
  const remaining = settings.maxTokens - generation.completionTokens;
  const run = new AbortController();
  generation.run = run;
  const { signal } = run;
  generation.state = 'running';
  // Log-probabilities of tokens whose text has not come out yet ride on the next delta.
  let logprobs: TokenLogprob[] = [];
  const onStep = (step: GenerationStep) => {
    // Steps still in flight when the run was stopped are dropped: the record ends where the
    // stop took effect, and a continuation generates from exactly there.
    if (signal.aborted) return;
    if (step.constrained && settings.tools?.length) generation.toolCalls ??= new ToolCallStream();
    if (step.logprobs) logprobs.push(...step.logprobs);
    const events: ChatStreamEvent[] = [];
    if (step.text) {
      const carried = logprobs.length > 0 ? { logprobs } : {};
      logprobs = [];
      if (!generation.toolCalls) events.push({ type: 'delta', text: step.text, ...carried });
      else {
        for (const event of generation.toolCalls.push(step.text)) {
          events.push(event.type === 'tool-call-delta' ? { ...event, ...carried } : event);
        }
      }
    }
    generation.record(
      {
        events,
        step: {
          text: step.text,
          tokens: step.tokens,
          ...(step.ids ? { ids: step.ids } : {}),
          ...(step.textTokens === undefined ? {} : { textTokens: step.textTokens }),
          ...(step.heldText === undefined ? {} : { heldText: step.heldText }),
          ...(step.constrained ? { constrained: true } : {}),
        },
      },
      false,
    );
  };
  try {
    const result =
      remaining > 0
        ? await models.run('text-generation', {
            ...settings,
            ...(generation.servedBy ?? {}),
            maxTokens: remaining,
            generationId: generation.id,
            ...(generation.tokens
              ? {
                  continueFromTokens: { ...generation.tokens, ids: [...generation.tokens.ids] },
                }
              : generation.text
                ? { continueFrom: generation.text }
                : {}),
            signal,
            onServedBy: (servedBy) => {
              if (generation.servedBy) return;
              generation.push({ type: 'start', generationId: generation.id, ...servedBy });
            },
            onStep,
          })
        : undefined;
    if (result) {
      generation.promptTokens ||= result.usage.promptTokens;
      generation.ttftMs ??= result.ttftMs;
      metrics?.recordGeneration(
        result.model,
        result.version,
        result.ttftMs,
        result.tokensPerSecond,
      );
    }
    const finishReason = generation.toolCalls?.calls.length
      ? 'tool_calls'
      : (result?.finishReason ?? 'length');
    generation.push(endEvent(generation, finishReason, result?.tokensPerSecond ?? 0));
    generation.state = 'finished';
  } catch (error) {
    if (signal.aborted && signal.reason !== 'cancelled') {
      generation.state = 'interrupted';
      return;
    }
    if (signal.aborted) {
      // Cancelled by its owner: the stream ends here, as an abort.
      generation.push(endEvent(generation, 'abort', 0));
      generation.state = 'finished';
      return;
    }
    generation.error = error;
    // Once the stream has started, a failure is an event: tRPC clients retry 5xx stream errors
    // by resuming, which would replay the same failure forever.
    if (generation.events.length > 0) {
      const failure = error instanceof ModelError ? error : undefined;
      generation.push({
        type: 'error',
        errorCode: failure?.code ?? 'INTERNAL_ERROR',
        message: error instanceof Error ? error.message : String(error),
        ...(failure?.retryAfterSeconds === undefined
          ? {}
          : { retryAfterSeconds: failure.retryAfterSeconds }),
      });
    }
    generation.state = 'failed';
  } finally {
    if (generation.run === run) generation.run = undefined;
  }
}

/** The last event of a generation that ended (not failed, not interrupted). */
function endEvent(
  generation: StoredGeneration,
  finishReason: FinishReason,
  tokensPerSecond: number,
): ChatStreamEvent {
  return {
    type: 'end',
    generationId: generation.id,
    finishReason,
    usage: {
      promptTokens: generation.promptTokens,
      completionTokens: generation.completionTokens,
    },
    ttftMs: generation.ttftMs ?? 0,
    tokensPerSecond,
  };
}
