import type { FinishReason } from '@mlrpc/schema';
import { StopSequenceFilter } from '../stop-sequence-filter.js';
import type {
  EarlierTokens,
  GenerateSettings,
  Generation,
  GenerationStep,
} from '../text-generation-model.js';
import { ModelError } from '../../../model-error.js';
import type { ConstraintFactory } from '../constraints/constraint-factory.js';
import type { JsonConstraint } from '../constraints/json-constraint.js';
import { applyMask } from '../constraints/token-masks.js';
import { IncrementalDetokenizer } from './incremental-detokenizer.js';
import { tokenLogprob } from './token-logprobs.js';
import { TokenSampler } from './token-sampler.js';

export interface SequenceTools {
  decode: (ids: number[]) => string;
  endOfSequence: ReadonlySet<number>;
  /** The model's context window: a sequence stops with `length` when it is full. */
  maxContext: number;
  /** The model's JSON constraints and token texts (built on first use). */
  constraints: ConstraintFactory;
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
  private stops: StopSequenceFilter;
  /** The JSON the output must be; `entered` once output is under it (an optional one may not be). */
  private constraint: JsonConstraint | undefined;
  private entered = false;
  private reportEntered = false;
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
    if (settings.constraint) this.startConstraint(settings.constraint.optional);
    this.finished = new Promise((resolve, reject) => {
      this.settle = resolve;
      this.fail = reject;
    });
  }

  get aborted(): boolean {
    return this.request.signal?.aborted ?? false;
  }

  private startConstraint(optional: boolean): void {
    const { settings } = this.request;
    const constraint = this.tools.constraints.create(
      settings.constraint as NonNullable<typeof settings.constraint>,
    );
    const { texts } = this.tools.constraints.vocabulary;
    const earlierText = this.earlier.ids.map((id) => texts[id] ?? '').join('');
    if (earlierText && !constraint.acceptText(earlierText)) {
      // A resumed free reply: the optional constraint was not taken up.
      if (optional) return;
      throw new ModelError(
        'INVALID_INPUT',
        'the text to continue does not fit the response schema',
      );
    }
    this.constraint = constraint;
    if (earlierText || !optional) this.enter();
    const needed = constraint.ending();
    if (!optional && (needed === undefined || needed.length > settings.maxTokens)) {
      throw new ModelError(
        'INVALID_INPUT',
        needed === undefined
          ? "the response schema needs characters this model's tokenizer cannot write"
          : `maxTokens ${settings.maxTokens} is too few for the response schema: its shortest valid reply takes ${needed.length} tokens`,
      );
    }
  }

  /** Output is under the constraint from here: stop strings no longer cut it. */
  private enter(): void {
    this.entered = true;
    this.reportEntered = true;
    this.stops = new StopSequenceFilter([]);
  }

  /** Tokens this sequence may still take, this one included. */
  private get budget(): number {
    return Math.min(
      this.request.settings.maxTokens - this.completionTokens,
      this.tools.maxContext - 1 - this.context.length,
    );
  }

  /** The next token: the model's pick, masked and guarded while under a constraint. */
  private pick(logits: Float32Array): number {
    const { constraint } = this;
    if (constraint && this.entered) applyMask(logits, constraint.mask());
    let token = this.sampler.choose(logits);
    if (!constraint) return token;
    if (!this.entered) {
      // An optional constraint: the first token decides whether output is the JSON or free.
      if (this.tools.endOfSequence.has(token) || !constraint.allows(token)) {
        this.constraint = undefined;
        return token;
      }
      this.enter();
    }
    token = constraint.choose(token, this.budget);
    return token;
  }

  /** Takes the logits for this sequence's next token; returns true once the sequence is done. */
  next(logits: Float32Array): boolean {
    const token = this.pick(logits);
    const { topLogprobs } = this.request.settings;
    const isEnd = this.tools.endOfSequence.has(token);
    const logprobs =
      topLogprobs === undefined || isEnd
        ? undefined
        : [tokenLogprob(logits, token, topLogprobs, this.tools.constraints.vocabulary.texts)];
    this.completionTokens += 1;
    if (isEnd) return this.end('stop', [token]);
    if (this.entered && !this.constraint?.accept(token)) {
      // Never expected: fail this sequence alone, not the batch it decodes in.
      this.error(
        new ModelError('INFERENCE_FAILED', 'constrained decoding chose a token outside its mask'),
      );
      return true;
    }
    const shown = this.stops.push(this.detokenizer.push(token));
    this.report(shown, [token], logprobs);
    if (this.entered && this.constraint?.finished) return this.end('stop', [], true);
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

  private end(reason: FinishReason, ids: number[], closed = false): true {
    this.finishReason = reason;
    // At the end of sequence or of maxTokens (or of the JSON) nothing more comes: text held back
    // was no stop string after all. An abort keeps it held, for a resume to take up exactly.
    const final = reason === 'length' || ids.length > 0 || closed;
    const rest = final ? this.stops.push(this.detokenizer.flush()) + this.stops.flush() : '';
    this.report(rest, ids);
    this.settle({
      text: this.text,
      finishReason: reason,
      promptTokens: this.request.prompt.length,
      completionTokens: this.completionTokens,
      constrained: this.entered,
    });
    return true;
  }

  private report(text: string, ids: number[], logprobs?: GenerationStep['logprobs']): void {
    this.text += text;
    if (!text && ids.length === 0) return;
    this.request.onStep({
      text,
      tokens: ids.length,
      ids,
      textTokens: this.detokenizer.textTokens,
      heldText: this.stops.held,
      ...(logprobs ? { logprobs } : {}),
      ...(this.reportEntered ? { constrained: true } : {}),
    });
    this.reportEntered = false;
  }
}
