import { Tensor, type PreTrainedTokenizer } from '@huggingface/transformers';

/** One text (or text pair) as token ids, truncated as the model's tokenizer config says. */
export interface EncodedText {
  inputIds: number[];
  tokenTypeIds: number[] | undefined;
}

/**
 * Tokenizes every text once, without padding (each at its own length), truncated to the
 * tokenizer's `model_max_length` exactly as transformers.js pipelines do. With `pairs`, each
 * text is encoded together with its pair (a query and a document, for cross-encoders).
 */
export function encodeTexts(
  tokenizer: PreTrainedTokenizer,
  texts: string[],
  pairs?: string[],
): EncodedText[] {
  const encoded = tokenizer(texts, {
    ...(pairs ? { text_pair: pairs } : {}),
    padding: false,
    truncation: true,
    return_tensor: false,
  }) as unknown as { input_ids: number[][]; token_type_ids?: number[][] };
  return encoded.input_ids.map((inputIds, index) => ({
    inputIds,
    tokenTypeIds: encoded.token_type_ids?.[index],
  }));
}

export interface TokenBudget {
  /** Most padded tokens (rows x longest row) in one model execution. */
  maxTokens: number;
  /** Most rows in one model execution. */
  maxRows: number;
}

/**
 * Groups rows for execution as TEI does: sorted by length, so each group pads little, and cut
 * so that no group holds more than the budget's padded tokens or rows. Returns row indices.
 */
export function lengthSortedGroups(lengths: number[], budget: TokenBudget): number[][] {
  const order = lengths.map((_, index) => index).sort((a, b) => lengths[a]! - lengths[b]!);
  const groups: number[][] = [];
  let group: number[] = [];
  for (const index of order) {
    const longest = lengths[index] ?? 0;
    const rows = group.length + 1;
    if (group.length > 0 && (rows > budget.maxRows || rows * longest > budget.maxTokens)) {
      groups.push(group);
      group = [];
    }
    group.push(index);
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

/** Pads a group of encoded texts into the model's input tensors (right- or left-padded). */
export function padTexts(
  tokenizer: PreTrainedTokenizer,
  rows: EncodedText[],
): Record<string, Tensor> {
  const width = Math.max(...rows.map((row) => row.inputIds.length));
  const padId = BigInt(tokenizer.pad_token_id ?? 0);
  const left = tokenizer.padding_side === 'left';
  const ids = new BigInt64Array(rows.length * width).fill(padId);
  const mask = new BigInt64Array(rows.length * width);
  const types = rows[0]?.tokenTypeIds ? new BigInt64Array(rows.length * width) : undefined;
  rows.forEach((row, index) => {
    const offset = index * width + (left ? width - row.inputIds.length : 0);
    row.inputIds.forEach((id, position) => {
      ids[offset + position] = BigInt(id);
      mask[offset + position] = 1n;
      if (types) types[offset + position] = BigInt(row.tokenTypeIds?.[position] ?? 0);
    });
  });
  const dims = [rows.length, width];
  return {
    input_ids: new Tensor('int64', ids, dims),
    attention_mask: new Tensor('int64', mask, dims),
    ...(types ? { token_type_ids: new Tensor('int64', types, dims) } : {}),
  };
}
