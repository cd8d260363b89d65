import type { ChatMessage, TensorMap } from '@mlrpc/schema';

/** Which model version a call wants; unset fields fall back to defaults and A/B routing. */
export interface ModelSelection {
  model?: string | undefined;
  version?: string | undefined;
  routingKey?: string | undefined;
  signal?: AbortSignal | undefined;
}

export interface EmbedRequest extends ModelSelection {
  texts: string[];
}

export interface ClassifyImageRequest extends ModelSelection {
  image: Uint8Array;
  topK: number;
}

export interface PredictTensorsRequest extends ModelSelection {
  inputs: TensorMap;
  topK: number;
}

export interface ChatRequest extends ModelSelection {
  messages: ChatMessage[];
  maxTokens: number;
  temperature: number;
  topP: number;
  stop: string[];
  generationId: string;
  /** Assistant text already streamed: generation continues after it (resume). */
  continueFrom?: string | undefined;
  seed?: number | undefined;
}

export interface ChatHandlers {
  /** Told which model version will answer, before the first token. */
  onStart?: (servedBy: { model: string; version: string }) => void;
  /** Told each piece of text as soon as it is final. */
  onDelta?: (text: string) => void;
  /** Told how many tokens were generated, as they are. */
  onTokens?: (tokens: number) => void;
}
