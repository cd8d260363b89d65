import type { ChatCompleteOutput, ChatMessage } from '@mlrpc/schema';
import type { TaskDefinition } from '../task-definition.js';
import {
  generateCodec,
  runGeneration,
  type GeneratePayload,
  type GenerateRequest,
} from './generate-codec.js';
import type {
  GenerateSettings,
  Generation,
  GenerationStep,
  TextGenerationModel,
} from './text-generation-model.js';

/** One chat turn as callers ask for it. */
export interface ChatRequest extends GenerateSettings {
  messages: ChatMessage[];
  generationId: string;
  /** Told each piece of text as soon as it is final. */
  onText?: ((text: string) => void) | undefined;
  /** Told how many tokens were generated, as they are. */
  onTokens?: ((tokens: number) => void) | undefined;
  /** Told every step: its token ids and where decoding stands (what an exact resume needs). */
  onStep?: ((step: GenerationStep) => void) | undefined;
}

/** Chat: one turn generated token by token, streamed through callbacks and returned whole. */
export const textGenerationTask: TaskDefinition<
  ChatRequest,
  GenerateRequest,
  GeneratePayload,
  Generation,
  Generation,
  ChatCompleteOutput
> = {
  task: 'text-generation',
  runtime: {
    async load(entry, context): Promise<TextGenerationModel> {
      const { loadTransformersTextGeneration } = await import('./transformers-text-generation.js');
      return loadTransformersTextGeneration(entry, context);
    },
    warmUp: (model: TextGenerationModel) =>
      model
        .generate([{ role: 'user', content: 'hello' }], {
          maxTokens: 1,
          temperature: 0,
          topP: 1,
          stop: [],
          onStep: () => undefined,
        })
        .then(() => undefined),
    run: (model: TextGenerationModel, payload, context) =>
      runGeneration(model, payload, context.signal, context.report),
    dispose: (model: TextGenerationModel) => model.dispose(),
  },
  admit: (input) => ({
    generationId: input.generationId,
    messages: input.messages,
    settings: {
      maxTokens: input.maxTokens,
      temperature: input.temperature,
      topP: input.topP,
      stop: input.stop,
      ...(input.seed === undefined ? {} : { seed: input.seed }),
      ...(input.continueFrom ? { continueFrom: input.continueFrom } : {}),
      ...(input.continueFromTokens ? { continueFromTokens: input.continueFromTokens } : {}),
    },
    onText: input.onText ?? (() => undefined),
    onTokens: input.onTokens,
    onStep: input.onStep,
    admittedAt: performance.now(),
  }),
  codec: (_metadata, hooks) => generateCodec(hooks),
  // Generations share their model's worker: its batch decoder runs up to maxBatchSize together.
  concurrency: (entry) => (entry.provider === 'local' ? entry.maxBatchSize : 1),
  output(generation, served, request) {
    const finished = performance.now();
    const generatingMs = served.inferenceTimeMs;
    return {
      ...served,
      generationId: request.generationId,
      text: generation.text,
      finishReason: generation.finishReason,
      usage: {
        promptTokens: generation.promptTokens,
        completionTokens: generation.completionTokens,
      },
      ttftMs: (request.firstTextAt ?? finished) - request.admittedAt,
      tokensPerSecond: generatingMs > 0 ? (generation.completionTokens * 1000) / generatingMs : 0,
    };
  },
  providers: {
    async 'openai-compatible'(entry, context) {
      const { loadUpstreamChat } = await import('./upstream/load-upstream-chat.js');
      return loadUpstreamChat(entry, context);
    },
  },
};
