import type { ChatCompleteOutput, ChatMessage } from '@mlrpc/schema';
import type { TaskDefinition } from '../task-definition.js';
import { compileJsonSchema } from './constraints/json-schema-compiler.js';
import { outputConstraint, parseToolCalls } from './tool-calls.js';
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
export interface ChatRequest extends Omit<GenerateSettings, 'constraint' | 'topLogprobs'> {
  /** The conversation, or undefined with a raw `prompt`. */
  messages?: ChatMessage[] | undefined;
  logprobs?: boolean | undefined;
  topLogprobs?: number | undefined;
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
  admit(input) {
    const settings: GenerateSettings = {
      maxTokens: input.maxTokens,
      temperature: input.temperature,
      topP: input.topP,
      stop: input.stop,
      ...(input.seed === undefined ? {} : { seed: input.seed }),
      ...(input.continueFrom ? { continueFrom: input.continueFrom } : {}),
      ...(input.continueFromTokens ? { continueFromTokens: input.continueFromTokens } : {}),
      ...(input.prompt === undefined ? {} : { prompt: input.prompt }),
      ...(input.responseFormat ? { responseFormat: input.responseFormat } : {}),
      ...(input.tools?.length
        ? {
            tools: input.tools,
            toolChoice: input.toolChoice,
            parallelToolCalls: input.parallelToolCalls,
          }
        : {}),
      ...(input.logprobs || (input.topLogprobs ?? 0) > 0
        ? { topLogprobs: input.topLogprobs ?? 0 }
        : {}),
    };
    // Schemas generation cannot enforce are refused here, before anything queues.
    input.tools?.forEach((tool, index) =>
      compileJsonSchema(tool.parameters, `tools.${index}.parameters (${tool.name})`),
    );
    const constraint = outputConstraint(settings);
    if (constraint && constraint.schema !== 'json-object') compileJsonSchema(constraint.schema);
    return {
      generationId: input.generationId,
      messages: input.messages ?? [],
      settings: constraint ? { ...settings, constraint } : settings,
      onText: input.onText ?? (() => undefined),
      onTokens: input.onTokens,
      onStep: input.onStep,
      admittedAt: performance.now(),
      logprobs: settings.topLogprobs === undefined ? undefined : [],
    };
  },
  codec: (_metadata, hooks) => generateCodec(hooks),
  // Generations share their model's worker: its batch decoder runs up to maxBatchSize together.
  concurrency: (entry) => (entry.provider === 'local' ? entry.maxBatchSize : 1),
  output(generation, served, request) {
    const finished = performance.now();
    const generatingMs = served.inferenceTimeMs;
    const toolCalls =
      generation.constrained && request.settings.tools?.length
        ? parseToolCalls(generation.text)
        : undefined;
    return {
      ...served,
      generationId: request.generationId,
      text: toolCalls ? '' : generation.text,
      finishReason: toolCalls ? 'tool_calls' : generation.finishReason,
      ...(toolCalls ? { toolCalls } : {}),
      ...(request.logprobs ? { logprobs: request.logprobs } : {}),
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
