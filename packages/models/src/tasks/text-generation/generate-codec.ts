import type { ChatMessage, TokenLogprob } from '@mlrpc/schema';
import type { BatchCodec } from '../../serving/batch-codec.js';
import type { ServingHooks } from '../task-definition.js';
import type {
  GenerateSettings,
  Generation,
  GenerationStep,
  TextGenerationModel,
} from './text-generation-model.js';

/** One generation as it queues: what to run, and where its text goes. */
export interface GenerateRequest {
  generationId: string;
  messages: ChatMessage[];
  settings: GenerateSettings;
  onText: (text: string) => void;
  onTokens: ((tokens: number) => void) | undefined;
  onStep: ((step: GenerationStep) => void) | undefined;
  /** When the request was admitted, and when its first text arrived: time to first token. */
  admittedAt: number;
  firstTextAt?: number;
  /** Token log-probabilities gathered as they come, when asked for. */
  logprobs?: TokenLogprob[] | undefined;
}

/** One generation as a worker runs it. */
export interface GeneratePayload {
  messages: ChatMessage[];
  settings: GenerateSettings;
}

/** Runs one payload on a model, reporting each step as an event. */
export function runGeneration(
  model: TextGenerationModel,
  payload: GeneratePayload,
  signal: AbortSignal,
  report: (step: GenerationStep) => void,
): Promise<Generation> {
  return model.generate(payload.messages, { ...payload.settings, signal, onStep: report });
}

/**
 * Each generation is its own call (the model's runtime batches running generations itself,
 * step by step); its steps come back as events for the caller's callbacks and the token stats.
 */
export function generateCodec(
  hooks: ServingHooks,
): BatchCodec<GenerateRequest, GeneratePayload, Generation, Generation> {
  return {
    size: () => 1,
    compatible: () => false,
    merge(requests) {
      const [request] = requests as [GenerateRequest];
      return {
        payload: { messages: request.messages, settings: request.settings },
        transfer: [],
        onEvent: (value) => {
          const step = value as GenerationStep;
          if (step.text) {
            request.firstTextAt ??= performance.now();
            request.onText(step.text);
          }
          if (step.tokens) {
            hooks.onTokens(step.tokens);
            request.onTokens?.(step.tokens);
          }
          if (step.logprobs) request.logprobs?.push(...step.logprobs);
          request.onStep?.(step);
        },
      };
    },
    split: (generation) => [generation],
  };
}
