import { ModelError } from '../../../model-error.js';
import type { DecoderSession, KeyValues } from './decoder-session.js';
import type { Generation } from '../text-generation-model.js';
import type { DecodingSequence } from './decoding-sequence.js';
import { KeyValueBatch } from './key-value-batch.js';

export interface BatchDecoderLimits {
  /** Sequences decoding together. */
  maxSequences: number;
  /** Cached tokens of all sequences together; a newcomer waits while it would go beyond. */
  maxTokens: number;
  /** Prompt tokens a newcomer's prefill takes per pass, between steps of the others. */
  prefillChunk: number;
}

interface Prefill {
  sequence: DecodingSequence;
  cache: KeyValues | undefined;
  done: number;
}

/**
 * Continuous batching (as vLLM and TGI do it): sequences decode together, one token each per
 * step, over one left-padded KV cache. A newcomer's prompt is prefilled in chunks between steps,
 * so the others keep streaming, then it joins at the next step; a sequence that finishes or whose
 * caller leaves is dropped at once. Runs inside the model's worker thread.
 */
export class BatchDecoder {
  private readonly waiting: DecodingSequence[] = [];
  private prefill: Prefill | undefined;
  private readonly running: DecodingSequence[] = [];
  private readonly cache: KeyValueBatch;
  private looping = false;

  constructor(
    private readonly session: DecoderSession,
    private readonly limits: BatchDecoderLimits,
  ) {
    this.cache = new KeyValueBatch(session.pastNames, session.heads, session.headSize);
  }

  /** Sequences decoding or waiting to. */
  get size(): number {
    return this.waiting.length + this.running.length + (this.prefill ? 1 : 0);
  }

  /** Adds a sequence; it joins the batch as soon as the limits allow. */
  add(sequence: DecodingSequence): Promise<Generation> {
    this.waiting.push(sequence);
    if (!this.looping) void this.loop();
    return sequence.finished;
  }

  private async loop(): Promise<void> {
    this.looping = true;
    try {
      while (this.size > 0) {
        this.dropAborted();
        this.startPrefill();
        if (this.prefill) await this.prefillChunk(this.prefill);
        if (this.running.length > 0) await this.step();
      }
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      for (const sequence of [...this.running, ...this.waiting]) sequence.error(failure);
      this.prefill?.sequence.error(failure);
      this.running.length = 0;
      this.waiting.length = 0;
      this.prefill = undefined;
      this.cache.remove(new Set(this.cache.lengths.map((_, row) => row)));
    } finally {
      this.looping = false;
    }
  }

  private dropAborted(): void {
    for (const sequence of this.waiting.filter((candidate) => candidate.aborted)) {
      this.waiting.splice(this.waiting.indexOf(sequence), 1);
      sequence.abort();
    }
    if (this.prefill?.sequence.aborted) {
      this.prefill.sequence.abort();
      this.prefill = undefined;
    }
    this.leave(
      this.running.filter((sequence) => sequence.aborted),
      (sequence) => sequence.abort(),
    );
  }

  /** Starts the next newcomer's prefill when there is room (always, when nothing runs). */
  private startPrefill(): void {
    const next = this.waiting[0];
    if (this.prefill || !next) return;
    const cached = this.cache.lengths.reduce((sum, length) => sum + length, 0);
    const fits =
      this.running.length < this.limits.maxSequences &&
      cached + next.context.length <= this.limits.maxTokens;
    if (!fits && this.running.length > 0) return;
    this.waiting.shift();
    this.prefill = { sequence: next, cache: undefined, done: 0 };
  }

  /** One chunk of a newcomer's prompt; the last one gives its first token and a place in the batch. */
  private async prefillChunk(prefill: Prefill): Promise<void> {
    const { sequence } = prefill;
    const tokens = sequence.context.slice(prefill.done, prefill.done + this.limits.prefillChunk);
    const output = await this.session.forward({
      rows: 1,
      tokens,
      tokensPerRow: tokens.length,
      positions: tokens.map((_, index) => prefill.done + index),
      mask: new BigInt64Array(prefill.done + tokens.length).fill(1n),
      past: prefill.cache,
      pastLength: prefill.done,
    });
    prefill.cache = output.present;
    prefill.done += tokens.length;
    if (prefill.done < sequence.context.length) return;
    this.prefill = undefined;
    if (sequence.aborted) {
      sequence.abort();
      return;
    }
    const { vocabulary } = output;
    const last = (output.positions - 1) * vocabulary;
    if (sequence.next(output.logits.subarray(last, last + vocabulary))) return;
    this.cache.add(output.present, prefill.done);
    this.running.push(sequence);
  }

  /** One token for every running sequence. */
  private async step(): Promise<void> {
    const rows = this.running.length;
    const tokens = this.running.map((sequence) => sequence.pending ?? 0);
    const output = await this.session.forward({
      rows,
      tokens,
      tokensPerRow: 1,
      positions: this.cache.lengths,
      mask: this.cache.stepMask(),
      past: this.cache.values,
      pastLength: this.cache.length,
    });
    if (output.positions !== 1) {
      throw new ModelError('INFERENCE_FAILED', `a step returned ${output.positions} positions`);
    }
    this.cache.advance(output.present);
    const { vocabulary } = output;
    const done = this.running.filter((sequence, row) => {
      sequence.fed();
      const logits = output.logits.subarray(row * vocabulary, (row + 1) * vocabulary);
      return sequence.next(logits);
    });
    this.leave(done, () => undefined);
  }

  private leave(sequences: DecodingSequence[], then: (sequence: DecodingSequence) => void): void {
    if (sequences.length === 0) return;
    const rows = new Set(sequences.map((sequence) => this.running.indexOf(sequence)));
    this.cache.remove(rows);
    for (const sequence of sequences) {
      this.running.splice(this.running.indexOf(sequence), 1);
      then(sequence);
    }
  }
}
