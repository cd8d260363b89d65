import type { FinishReason } from '@mlrpc/schema';
import { StopSequenceFilter } from '../stop-sequence-filter.js';
import type {
  EarlierTokens,
  GenerateSettings,
  Generation,
  GenerationStep,
} from '../text-generation-model.js';
import { IncrementalDetokenizer } from './incremental-detokenizer.js';
import { TokenSampler } from './token-sampler.js';

export interface SequenceTools {
  decode: (ids: number[]) => string;
  endOfSequence: ReadonlySet<number>;
  /** The model's context window: a sequence stops with `length` when it is full. */
  maxContext: number;
}

export interface SequenceRequest {
  /** The prompt's tokens after the chat template. */
  prompt: number[];
  settings: GenerateSettings;
  signal?: AbortSignal | undefined;
  onStep: (step: GenerationStep) => void;
}

/**
 * One generation inside the batch decoder: its tokens so far, how it picks the next one, and
 * when it ends (end of sequence, a stop string, maxTokens, a full context, or its caller leaving).
 */
export class DecodingSequence {
  /** Every token before the one to feed next: the cache holds exactly these. */
  readonly context: number[];
  /** The token chosen last, fed at the next step. */
  pending: number | undefined;
  finishReason: FinishReason | undefined;
  private readonly sampler: TokenSampler;
  private readonly detokenizer: IncrementalDetokenizer;
  private readonly stops: StopSequenceFilter;
  private readonly earlier: EarlierTokens;
  private text = '';
  private completionTokens = 0;
  readonly finished: Promise<Generation>;
  private settle!: (generation: Generation) => void;
  private fail!: (error: Error) => void;

  constructor(
    private readonly request: SequenceRequest,
    private readonly tools: SequenceTools,
  ) {
    const { settings } = request;
    this.earlier = settings.continueFromTokens ?? { ids: [], textTokens: 0, heldText: '' };
    this.context = [...request.prompt, ...this.earlier.ids];
    this.sampler = new TokenSampler(settings.temperature, settings.topP, settings.seed);
    this.detokenizer = new IncrementalDetokenizer(
      tools.decode,
      request.prompt.slice(-6),
      this.earlier,
    );
    this.stops = new StopSequenceFilter(settings.stop);
    // Text held back before the interruption is still a possible stop: it waits here again.
    this.stops.push(this.earlier.heldText);
    this.finished = new Promise((resolve, reject) => {
      this.settle = resolve;
      this.fail = reject;
    });
  }

  get aborted(): boolean {
    return this.request.signal?.aborted ?? false;
  }

  /** Takes the logits for this sequence's next token; returns true once the sequence is done. */
  next(logits: Float32Array): boolean {
    const token = this.sampler.choose(logits);
    this.completionTokens += 1;
    if (this.tools.endOfSequence.has(token)) return this.end('stop', [token]);
    const shown = this.stops.push(this.detokenizer.push(token));
    this.report(shown, [token]);
    if (this.stops.stopped) return this.end('stop', []);
    if (this.completionTokens >= this.request.settings.maxTokens) return this.end('length', []);
    if (this.context.length + 1 >= this.tools.maxContext) return this.end('length', []);
    this.pending = token;
    return false;
  }

  /** Ends the sequence because its caller went away. */
  abort(): void {
    this.end('abort', []);
  }

  /** Ends it with an error (the model failed). */
  error(error: Error): void {
    this.finishReason = 'abort';
    this.fail(error);
  }

  /** The token fed to the model: it is now part of the context. */
  fed(): void {
    if (this.pending !== undefined) this.context.push(this.pending);
    this.pending = undefined;
  }

  private end(reason: FinishReason, ids: number[]): true {
    this.finishReason = reason;
    // At the end of sequence or of maxTokens nothing more comes: text held back was no stop
    // string after all. An abort keeps it held, for a resume to take up exactly.
    const final = reason === 'length' || ids.length > 0;
    const rest = final ? this.stops.push(this.detokenizer.flush()) + this.stops.flush() : '';
    this.report(rest, ids);
    this.settle({
      text: this.text,
      finishReason: reason,
      promptTokens: this.request.prompt.length,
      completionTokens: this.completionTokens,
    });
    return true;
  }

  private report(text: string, ids: number[]): void {
    this.text += text;
    if (!text && ids.length === 0) return;
    this.request.onStep({
      text,
      tokens: ids.length,
      ids,
      textTokens: this.detokenizer.textTokens,
      heldText: this.stops.held,
    });
  }
}
