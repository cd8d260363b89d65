import ort from 'onnxruntime-node';
import { ModelError } from '../../../model-error.js';

/** The ONNX session of a decoder-only model with a KV cache, as transformers.js loaded it. */
export interface OrtSession {
  inputNames: readonly string[];
  outputNames: readonly string[];
  inputMetadata: ReadonlyArray<{
    name: string;
    isTensor: boolean;
    type?: string;
    shape?: ReadonlyArray<number | string>;
  }>;
  run(feeds: Record<string, ort.Tensor>): Promise<Record<string, ort.Tensor>>;
}

/** Past keys and values per cache input name, each [batch, heads, length, headDim]. */
export type KeyValues = Map<string, Float32Array>;

export interface DecoderOutput {
  /** [batch, positions, vocabulary]; only the last position of each row is read. */
  logits: Float32Array;
  positions: number;
  vocabulary: number;
  present: KeyValues;
}

/**
 * What mlrpc needs of a decoder session: its cache layout (read from the file's own metadata)
 * and one forward pass over rows of new tokens with their past. Sessions without a float32 KV
 * cache in this layout (input_ids, attention_mask, position_ids, past_key_values.N.key/value)
 * are refused, and the caller falls back to transformers.js' own generate, one at a time.
 */
export class DecoderSession {
  readonly pastNames: string[];
  readonly heads: number;
  readonly headSize: number;
  private readonly presentFor: Map<string, string>;

  private constructor(
    private readonly session: OrtSession,
    pastNames: string[],
    heads: number,
    headSize: number,
  ) {
    this.pastNames = pastNames;
    this.heads = heads;
    this.headSize = headSize;
    this.presentFor = new Map(
      pastNames.map((name) => [name, name.replace('past_key_values', 'present')]),
    );
  }

  /** The session wrapped, or undefined when it has no KV cache mlrpc can batch. */
  static from(session: OrtSession | undefined): DecoderSession | undefined {
    if (!session) return undefined;
    const pastNames = session.inputNames.filter((name) =>
      /^past_key_values\.\d+\.(key|value)$/.test(name),
    );
    const first = session.inputMetadata.find((input) => input.name === pastNames[0]);
    const [, heads, , headSize] = first?.shape ?? [];
    const complete =
      pastNames.length > 0 &&
      session.inputNames.includes('input_ids') &&
      session.inputNames.includes('attention_mask') &&
      session.inputNames.includes('position_ids') &&
      session.outputNames.includes('logits') &&
      pastNames.every((name) =>
        session.outputNames.includes(name.replace('past_key_values', 'present')),
      ) &&
      typeof heads === 'number' &&
      typeof headSize === 'number' &&
      session.inputMetadata
        .filter((input) => pastNames.includes(input.name))
        .every((input) => input.type === undefined || input.type === 'float32');
    if (!complete) return undefined;
    return new DecoderSession(session, pastNames, heads, headSize);
  }

  /** Floats per cached token per row, in each past tensor. */
  get rowWidth(): number {
    return this.heads * this.headSize;
  }

  /**
   * One forward pass: `tokens` new tokens for each of `rows` rows, after `past` (each row's past
   * left-padded to `pastLength`), `mask` saying which past and new positions are real.
   */
  async forward(input: {
    rows: number;
    tokens: number[];
    tokensPerRow: number;
    positions: number[];
    mask: BigInt64Array;
    past: KeyValues | undefined;
    pastLength: number;
  }): Promise<DecoderOutput> {
    const { rows, tokensPerRow, pastLength } = input;
    const int64 = (values: ArrayLike<number>, dims: number[]) =>
      new ort.Tensor('int64', BigInt64Array.from(Array.from(values, BigInt)), dims);
    // Rows are left-padded: each row's positions count its own tokens, the mask hides the padding.
    const feeds: Record<string, ort.Tensor> = {
      input_ids: int64(input.tokens, [rows, tokensPerRow]),
      attention_mask: new ort.Tensor('int64', input.mask, [rows, pastLength + tokensPerRow]),
      position_ids: int64(input.positions, [rows, tokensPerRow]),
    };
    for (const name of this.pastNames) {
      const data = input.past?.get(name) ?? new Float32Array(0);
      feeds[name] = new ort.Tensor('float32', data, [rows, this.heads, pastLength, this.headSize]);
    }
    const output = await this.session.run(feeds);
    const logits = output.logits;
    if (!logits || logits.type !== 'float32') {
      throw new ModelError('INFERENCE_FAILED', 'the decoder returned no float32 logits');
    }
    const present: KeyValues = new Map();
    for (const [name, presentName] of this.presentFor) {
      present.set(name, output[presentName]?.data as Float32Array);
    }
    return {
      logits: logits.data as Float32Array,
      positions: logits.dims[1] ?? 1,
      vocabulary: logits.dims[2] ?? 0,
      present,
    };
  }
}
