import type { ChatMessage } from '@mlrpc/schema';
import type { BatchCodec } from '../../serving/batch-codec.js';
import type { ServingHooks } from '../task-definition.js';
import type {
  GenerateSettings,
  Generation,
  GenerationEvent,
  TextGenerationModel,
} from './text-generation-model.js';

/** One generation as it queues: what to run, and where its text goes. */
export interface GenerateRequest {
  generationId: string;
  messages: ChatMessage[];
  settings: GenerateSettings;
  onText: (text: string) => void;
  onTokens: ((tokens: number) => void) | undefined;
  /** When the request was admitted, and when its first text arrived: time to first token. */
  admittedAt: number;
  firstTextAt?: number;
}

/** One generation as a worker runs it. */
export interface GeneratePayload {
  messages: ChatMessage[];
  settings: GenerateSettings;
}

/** Runs one payload on a model, reporting text and tokens as events. */
export function runGeneration(
  model: TextGenerationModel,
  payload: GeneratePayload,
  signal: AbortSignal,
  report: (event: GenerationEvent) => void,
): Promise<Generation> {
  return model.generate(payload.messages, {
    ...payload.settings,
    signal,
    onText: (text) => report({ text }),
    onTokens: (tokens) => report({ tokens }),
  });
}

/** Each generation is its own call; the worker decides how calls share the model. */
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
          const event = value as GenerationEvent;
          if (event.text) {
            request.firstTextAt ??= performance.now();
            request.onText(event.text);
          }
          if (event.tokens) {
            hooks.onTokens(event.tokens);
            request.onTokens?.(event.tokens);
          }
        },
      };
    },
    split: (generation) => [generation],
  };
}
