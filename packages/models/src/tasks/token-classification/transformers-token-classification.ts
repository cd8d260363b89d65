import type { TokenClassificationPipeline } from '@huggingface/transformers';
import type { ModelEntry } from '../../model-config.js';
import type { LoadContext } from '../../runtime/load-context.js';
import { encodeTexts, lengthSortedGroups, padTexts } from '../../runtime/text-batches.js';
import { softmax } from '../../runtime/softmax.js';
import { loadPipeline } from '../../runtime/transformers-pipeline.js';
import type { TaggedToken, TokenClassificationModel } from './token-classification-model.js';
import { tokenSpans } from './token-offsets.js';

/** How many special tokens the tokenizer puts before the text's own tokens ([CLS], <s>...). */
function leadingSpecials(tokenizer: TokenClassificationPipeline['tokenizer']): number {
  const bare = tokenizer.encode('a', { add_special_tokens: false });
  const full = tokenizer.encode('a', { add_special_tokens: true });
  const at = full.indexOf(bare[0] ?? -1);
  return at === -1 ? 0 : at;
}

/**
 * A token classifier (transformers.js' AutoModelForTokenClassification) that also says where
 * each token sits in the caller's string. Texts are tokenized once, sorted by length and run in
 * groups under the entry's token budget.
 */
export async function loadTransformersTokenClassification(
  entry: ModelEntry,
  context: LoadContext,
): Promise<TokenClassificationModel> {
  const tagger = (await loadPipeline(
    'token-classification',
    entry,
    context,
  )) as TokenClassificationPipeline;
  const { tokenizer, model } = tagger;
  const id2label = (model.config as { id2label?: Record<string, string> }).id2label ?? {};
  const labels = Object.keys(id2label)
    .map(Number)
    .sort((a, b) => a - b)
    .map((index) => id2label[String(index)] ?? `LABEL_${index}`);
  const leading = leadingSpecials(tokenizer);
  const trailing = tokenizer.encode('a').length - 1 - leading;
  const leftPadded = tokenizer.padding_side === 'left';
  return {
    labels,
    async tag(texts) {
      const encoded = encodeTexts(tokenizer, texts);
      const tagged: TaggedToken[][] = new Array<TaggedToken[]>(texts.length);
      const groups = lengthSortedGroups(
        encoded.map((row) => row.inputIds.length),
        { maxTokens: entry.maxBatchTokens, maxRows: entry.maxBatchSize },
      );
      for (const group of groups) {
        const rows = group.map((index) => encoded[index]!);
        const inputs = padTexts(tokenizer, rows);
        const { logits } = (await model(inputs)) as {
          logits: { dims: number[]; data: Float32Array };
        };
        const [, width = 0, labelCount = 0] = logits.dims;
        group.forEach((textIndex, row) => {
          const text = texts[textIndex] ?? '';
          const length = rows[row]?.inputIds.length ?? 0;
          const padding = leftPadded ? width - length : 0;
          // Truncation keeps the first tokens; the text's own tokens sit between the specials.
          const spans = tokenSpans(tokenizer, text).slice(
            0,
            Math.max(0, length - leading - trailing),
          );
          tagged[textIndex] = spans.map((span, token) => {
            const position = (row * width + padding + leading + token) * labelCount;
            return {
              ...span,
              scores: softmax(logits.data.subarray(position, position + labelCount)),
            };
          });
        });
      }
      return tagged;
    },
    async dispose() {
      await tagger.dispose();
    },
  };
}
