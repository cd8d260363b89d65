import { ModelError, ToolCallStream, type GenerationStep, type ModelManager } from '@mlrpc/models';
import type { TokenLogprob } from '@mlrpc/schema';
import type { ApiMetrics } from '../metrics/api-metrics.js';
import type { StoredGeneration } from './stored-generation.js';

/**
 * Runs (or, after an interruption, continues) a stored generation, appending its events. A
 * continuation starts from the text already streamed, pinned to the same model version, with the
 * tokens left; under greedy decoding it produces exactly the text the first run would have.
 */
export async function runGeneration(
  generation: StoredGeneration,
  models: ModelManager,
  signal: AbortSignal,
  metrics?: ApiMetrics,
): Promise<void> {
  const { settings } = generation;
  const remaining = settings.maxTokens - generation.completionTokens;
  generation.state = 'running';
  // Log-probabilities of tokens whose text has not come out yet ride on the next delta.
  let logprobs: TokenLogprob[] = [];
  const onStep = (step: GenerationStep) => {
    if (step.constrained && settings.tools?.length) generation.toolCalls ??= new ToolCallStream();
    if (step.logprobs) logprobs.push(...step.logprobs);
    if (!step.text) return;
    generation.text += step.text;
    const carried = logprobs.length > 0 ? { logprobs } : {};
    logprobs = [];
    if (!generation.toolCalls) {
      generation.push({ type: 'delta', text: step.text, ...carried });
      return;
    }
    for (const event of generation.toolCalls.push(step.text)) {
      generation.push(event.type === 'tool-call-delta' ? { ...event, ...carried } : event);
    }
  };
  try {
    const result =
      remaining > 0
        ? await models.run('text-generation', {
            ...settings,
            ...(generation.servedBy ?? {}),
            maxTokens: remaining,
            generationId: generation.id,
            continueFrom: generation.text,
            signal,
            onServedBy: (servedBy) => {
              if (generation.servedBy) return;
              generation.servedBy = servedBy;
              generation.push({ type: 'start', generationId: generation.id, ...servedBy });
            },
            onStep,
            onTokens: (tokens) => {
              generation.completionTokens += tokens;
            },
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
    generation.push({
      type: 'end',
      generationId: generation.id,
      finishReason: generation.toolCalls?.calls.length
        ? 'tool_calls'
        : (result?.finishReason ?? 'length'),
      usage: {
        promptTokens: generation.promptTokens,
        completionTokens: generation.completionTokens,
      },
      ttftMs: generation.ttftMs ?? 0,
      tokensPerSecond: result?.tokensPerSecond ?? 0,
    });
    generation.state = 'finished';
  } catch (error) {
    if (signal.aborted) {
      generation.state = 'interrupted';
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
  }
}
