import type { ChatMessage, FinishReason } from '@mlrpc/schema';

/** Tokens a local model generated earlier for this turn (a stream being resumed). */
export interface EarlierTokens {
  ids: number[];
  /** How many of `ids` have had their text decoded and streamed (or held back). */
  textTokens: number;
  /** Text decoded but held back as the possible start of a stop sequence. */
  heldText: string;
}

/** How to generate, as a caller asks for it. */
export interface GenerateSettings {
  maxTokens: number;
  temperature: number;
  topP: number;
  stop: string[];
  /** Seeds sampling, so the same seed and input give the same text. */
  seed?: number | undefined;
  /** Continue after these tokens (exact: no re-tokenized text in between). */
  continueFromTokens?: EarlierTokens | undefined;
  /** Continue after this assistant text (remote servers take text, not tokens). */
  continueFrom?: string | undefined;
}

/** One step of a generation as it is reported: the tokens it added and the text they completed. */
export interface GenerationStep {
  /** Text made final (never part of a stop sequence); often '' while a word or character is open. */
  text: string;
  /** Tokens generated in this step. */
  tokens: number;
  /** Local models: the ids of those tokens, and where decoding stands, for an exact resume. */
  ids?: number[];
  textTokens?: number;
  heldText?: string;
}

export interface GenerateOptions extends GenerateSettings {
  /** Aborting stops generation after the current token. */
  signal?: AbortSignal | undefined;
  onStep: (step: GenerationStep) => void;
}

export interface Generation {
  text: string;
  finishReason: FinishReason;
  promptTokens: number;
  completionTokens: number;
}

/**
 * A chat model as its task needs it; backends and test fakes implement it. `generate` may be
 * called again before earlier calls finish: a backend that batches runs them together.
 */
export interface TextGenerationModel {
  generate(messages: ChatMessage[], options: GenerateOptions): Promise<Generation>;
  dispose(): Promise<void>;
}
