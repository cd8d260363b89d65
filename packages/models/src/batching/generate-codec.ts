import type { ChatMessage } from '@mlrpc/schema';
import type { GenerateOptions, Generation } from '../backend/model-backend.js';
import type { BatchCodec } from './batch-codec.js';

export interface GenerateRequest {
  messages: ChatMessage[];
  options: Pick<
    GenerateOptions,
    'maxTokens' | 'temperature' | 'topP' | 'stop' | 'continueFrom' | 'seed'
  >;
  onText: (text: string) => void;
  onTokens: (tokens: number) => void;
}

/** The queued form of one generate call; `countTokens` also sees every generated token (stats). */
export function toGenerateRequest(
  messages: ChatMessage[],
  options: GenerateOptions,
  countTokens: (tokens: number) => void,
): GenerateRequest {
  const { maxTokens, temperature, topP, stop, continueFrom, seed, onText, onTokens } = options;
  return {
    messages,
    options: {
      maxTokens,
      temperature,
      topP,
      stop,
      ...(continueFrom ? { continueFrom } : {}),
      ...(seed === undefined ? {} : { seed }),
    },
    onText,
    onTokens: (tokens) => {
      countTokens(tokens);
      onTokens?.(tokens);
    },
  };
}

/** Generations are not batched: each runs alone on a worker and streams its text back. */
export const generateCodec: BatchCodec<GenerateRequest, Omit<Generation, 'execution'>> = {
  size: () => 1,
  compatible: () => false,
  merge(requests) {
    const [request] = requests as [GenerateRequest];
    return {
      call: { kind: 'generate', messages: request.messages, options: request.options },
      transfer: [],
      onEvent: (event) => {
        if (event.text) request.onText(event.text);
        if (event.tokens) request.onTokens(event.tokens);
      },
    };
  },
  split(result) {
    if (result.kind !== 'generate') throw new Error(`expected generate result, got ${result.kind}`);
    return [result.generation];
  },
};
