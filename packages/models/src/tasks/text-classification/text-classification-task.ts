import type { Prediction, TextClassificationOutput } from '@mlrpc/schema';
import { ModelError } from '../../model-error.js';
import type { BatchCodec } from '../../serving/batch-codec.js';
import type { TaskDefinition } from '../task-definition.js';
import type { TextClassificationModel, TextClassifications } from './text-classification-model.js';

export interface TextClassificationInput {
  texts: string[];
  topK: number;
}

/** Texts from many callers run as one batch at the largest top-k; each caller gets its own k. */
const textClassificationCodec: BatchCodec<
  TextClassificationInput,
  TextClassificationInput,
  TextClassifications,
  Prediction[][]
> = {
  size: (request) => request.texts.length,
  compatible: () => true,
  merge: (requests) => ({
    payload: {
      texts: requests.flatMap((request) => request.texts),
      topK: Math.max(...requests.map((request) => request.topK)),
    },
    transfer: [],
  }),
  split(result, requests) {
    let row = 0;
    return requests.map((request) => {
      const own = result.predictions.slice(row, row + request.texts.length);
      row += request.texts.length;
      return own.map((predictions) => predictions.slice(0, request.topK));
    });
  },
};

/** Text classification (sentiment, spam, moderation): top-k labels per text. */
export const textClassificationTask: TaskDefinition<
  TextClassificationInput,
  TextClassificationInput,
  TextClassificationInput,
  TextClassifications,
  Prediction[][],
  TextClassificationOutput
> = {
  task: 'text-classification',
  runtime: {
    async load(entry, context): Promise<TextClassificationModel> {
      const { loadTransformersTextClassification } =
        await import('./transformers-text-classification.js');
      return loadTransformersTextClassification(entry, context);
    },
    warmUp: (model: TextClassificationModel) =>
      model.classify(['warm up'], 1).then(() => undefined),
    run: (model: TextClassificationModel, payload) => model.classify(payload.texts, payload.topK),
    dispose: (model: TextClassificationModel) => model.dispose(),
  },
  admit: (input) => ({ texts: input.texts, topK: input.topK }),
  codec: () => textClassificationCodec,
  output: (predictions, served) => ({ kind: 'text-classification', ...served, predictions }),
  parts: {
    count: (input) => input.texts.length,
    slice: (input, start, end) => ({ ...input, texts: input.texts.slice(start, end) }),
    join: (outputs) =>
      outputs.reduce((joined, output) => ({
        ...joined,
        predictions: joined.predictions.concat(output.predictions),
        inferenceTimeMs: joined.inferenceTimeMs + output.inferenceTimeMs,
        queueTimeMs: joined.queueTimeMs + output.queueTimeMs,
      })),
  },
  predict: {
    accepts: (input) => input.texts !== undefined,
    toInput: (input) =>
      input.texts
        ? Promise.resolve({ texts: input.texts, topK: input.topK })
        : Promise.reject(new ModelError('INVALID_INPUT', 'texts are required')),
  },
};
