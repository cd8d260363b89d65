import type { ChatMessage, FinishReason } from '@mlrpc/schema';

/** How to generate, as a caller asks for it. */
export interface GenerateSettings {
  maxTokens: number;
  temperature: number;
  topP: number;
  stop: string[];
  /** Seeds sampling, so the same seed and input give the same text. */
  seed?: number | undefined;
  /** Assistant text already generated: generation continues after it (resuming a stream). */
  continueFrom?: string | undefined;
}

export interface GenerateOptions extends GenerateSettings {
  /** Aborting stops generation after the current token. */
  signal?: AbortSignal | undefined;
  /** Called with each piece of text as soon as it is final (never part of a stop sequence). */
  onText: (text: string) => void;
  /** Called as tokens are generated, so progress is visible even before text is. */
  onTokens?: ((tokens: number) => void) | undefined;
}

export interface Generation {
  text: string;
  finishReason: FinishReason;
  promptTokens: number;
  completionTokens: number;
}

/** A chat model as its task needs it; backends and test fakes implement it. */
export interface TextGenerationModel {
  /** Generates one chat turn. */
  generate(messages: ChatMessage[], options: GenerateOptions): Promise<Generation>;
  dispose(): Promise<void>;
}

/** What a generation reports while it runs. */
export interface GenerationEvent {
  text?: string;
  tokens?: number;
}
