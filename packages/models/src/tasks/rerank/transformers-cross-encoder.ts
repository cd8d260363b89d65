import type { TextClassificationPipeline } from '@huggingface/transformers';
import type { ModelEntry } from '../../model-config.js';
import { ModelError } from '../../model-error.js';
import type { LoadContext } from '../../runtime/load-context.js';
import { encodeTexts, lengthSortedGroups, padTexts } from '../../runtime/text-batches.js';
import { loadPipeline } from '../../runtime/transformers-pipeline.js';
import type { CrossEncoderModel } from './cross-encoder-model.js';

/**
 * A cross-encoder: a sequence classifier with one output (the relevance logit), or two (whose
 * difference is the log-odds of "relevant"). Pairs are tokenized together as the model was
 * trained (`text_pair`, token types included), sorted by length and run under the token budget.
 */
export async function loadTransformersCrossEncoder(
  entry: ModelEntry,
  context: LoadContext,
): Promise<CrossEncoderModel> {
  const classifier = (await loadPipeline(
    'text-classification',
    entry,
    context,
  )) as TextClassificationPipeline;
  const { tokenizer, model } = classifier;
  return {
    async score(pairs) {
      const encoded = encodeTexts(
        tokenizer,
        pairs.map(([query]) => query),
        pairs.map(([, document]) => document),
      );
      const logits = new Array<number>(pairs.length);
      const groups = lengthSortedGroups(
        encoded.map((row) => row.inputIds.length),
        { maxTokens: entry.maxBatchTokens, maxRows: entry.maxBatchSize },
      );
      for (const group of groups) {
        const output = (await model(
          padTexts(
            tokenizer,
            group.map((index) => encoded[index]!),
          ),
        )) as {
          logits: { dims: number[]; data: Float32Array };
        };
        const labels = output.logits.dims[1] ?? 0;
        if (labels !== 1 && labels !== 2) {
          throw new ModelError(
            'INFERENCE_FAILED',
            `a cross-encoder has 1 or 2 outputs per pair; this model has ${labels}`,
          );
        }
        group.forEach((pair, row) => {
          const values = output.logits.data.subarray(row * labels, (row + 1) * labels);
          logits[pair] = labels === 1 ? (values[0] ?? 0) : (values[1] ?? 0) - (values[0] ?? 0);
        });
      }
      return { logits, tokens: encoded.map((row) => row.inputIds.length) };
    },
    async dispose() {
      await classifier.dispose();
    },
  };
}
