import type { TextClassificationPipeline } from '@huggingface/transformers';
import type { Prediction } from '@mlrpc/schema';
import type { ModelEntry } from '../../model-config.js';
import type { LoadContext } from '../../runtime/load-context.js';
import { encodeTexts, lengthSortedGroups, padTexts } from '../../runtime/text-batches.js';
import { softmax } from '../../runtime/softmax.js';
import { loadPipeline } from '../../runtime/transformers-pipeline.js';
import type { TextClassificationModel } from './text-classification-model.js';

interface ClassifierConfig {
  id2label?: Record<string, string>;
  problem_type?: string;
}

/** Probabilities from one row of logits: softmax, or a sigmoid per label for multi-label models. */
function probabilities(logits: Float32Array, multiLabel: boolean): number[] {
  return multiLabel ? Array.from(logits, (logit) => 1 / (1 + Math.exp(-logit))) : softmax(logits);
}

/**
 * A sequence classifier (transformers.js' AutoModelForSequenceClassification). Texts are
 * tokenized once, sorted by length and run in groups under the entry's token budget, so a long
 * message does not pad the short ones; truncation is the tokenizer's own (`model_max_length`).
 */
export async function loadTransformersTextClassification(
  entry: ModelEntry,
  context: LoadContext,
): Promise<TextClassificationModel> {
  const classifier = (await loadPipeline(
    'text-classification',
    entry,
    context,
  )) as TextClassificationPipeline;
  const { tokenizer, model } = classifier;
  const config = model.config as ClassifierConfig;
  const labelOf = (index: number) => config.id2label?.[String(index)] ?? `LABEL_${index}`;
  const multiLabel = config.problem_type === 'multi_label_classification';
  return {
    async classify(texts, topK) {
      const encoded = encodeTexts(tokenizer, texts);
      const predictions: Prediction[][] = new Array<Prediction[]>(texts.length);
      const groups = lengthSortedGroups(
        encoded.map((row) => row.inputIds.length),
        { maxTokens: entry.maxBatchTokens, maxRows: entry.maxBatchSize },
      );
      for (const group of groups) {
        const inputs = padTexts(
          tokenizer,
          group.map((index) => encoded[index]!),
        );
        const { logits } = (await model(inputs)) as {
          logits: { dims: number[]; data: Float32Array };
        };
        const labels = logits.dims[1] ?? 0;
        group.forEach((textIndex, row) => {
          const scores = probabilities(
            logits.data.subarray(row * labels, (row + 1) * labels),
            multiLabel,
          );
          predictions[textIndex] = scores
            .map((confidence, index) => ({ label: labelOf(index), confidence }))
            .sort((a, b) => b.confidence - a.confidence)
            .slice(0, topK);
        });
      }
      return { predictions, tokens: encoded.map((row) => row.inputIds.length) };
    },
    async dispose() {
      await classifier.dispose();
    },
  };
}
