import type {
  ChatMessage,
  FinishReason,
  ResponseFormat,
  TokenLogprob,
  ToolChoice,
  ToolDefinition,
} from '@mlrpc/schema';
import type { ConstraintSpec } from './constraints/constraint-factory.js';

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
  /** Raw text to continue instead of messages (no chat template). */
  prompt?: string | undefined;
  /** JSON the output must be; local models enforce it token by token (stop strings then do not apply). */
  constraint?: ConstraintSpec | undefined;
  /** What the caller asked for, passed on as such to remote servers (local ones use `constraint`). */
  responseFormat?: ResponseFormat | undefined;
  /** Tools shown to the model: through its chat template, or a system message when it has none. */
  tools?: ToolDefinition[] | undefined;
  toolChoice?: ToolChoice | undefined;
  parallelToolCalls?: boolean | undefined;
  /** Report each token's log-probability and this many alternatives; undefined: none. */
  topLogprobs?: number | undefined;
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
  /** The generated tokens' log-probabilities (when asked for; never the end of sequence). */
  logprobs?: TokenLogprob[];
  /** On the first step of output under the constraint: JSON follows (tool calls, with tools). */
  constrained?: boolean;
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
  /** Whether the output is the constrained JSON (a tool call, when tools were given). */
  constrained?: boolean;
}

/**
 * A chat model as its task needs it; backends and test fakes implement it. `generate` may be
 * called again before earlier calls finish: a backend that batches runs them together.
 */
export interface TextGenerationModel {
  generate(messages: ChatMessage[], options: GenerateOptions): Promise<Generation>;
  dispose(): Promise<void>;
}
