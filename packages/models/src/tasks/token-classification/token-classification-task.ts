import type { Entity, EntityAggregation, TokenClassificationOutput } from '@mlrpc/schema';
import { ModelError } from '../../model-error.js';
import type { BatchCodec } from '../../serving/batch-codec.js';
import type { TaskDefinition } from '../task-definition.js';
import { aggregateEntities, maskEntities } from './aggregate-entities.js';
import type { TokenClassificationModel } from './token-classification-model.js';

export interface TokenClassificationInput {
  texts: string[];
  aggregation: EntityAggregation;
  ignoreLabels: string[];
  mask: boolean;
}

export type EntityPayload = Omit<TokenClassificationInput, 'mask'>;

const sameOptions = (a: EntityPayload, b: EntityPayload) =>
  a.aggregation === b.aggregation &&
  a.ignoreLabels.join('\u0000') === b.ignoreLabels.join('\u0000');

/** Texts of callers who ask for the same aggregation run as one batch; each gets its own texts. */
const tokenClassificationCodec: BatchCodec<
  TokenClassificationInput,
  EntityPayload,
  Entity[][],
  Entity[][]
> = {
  size: (request) => request.texts.length,
  compatible: sameOptions,
  merge: (requests) => {
    const [first] = requests as [TokenClassificationInput];
    return {
      payload: {
        texts: requests.flatMap((request) => request.texts),
        aggregation: first.aggregation,
        ignoreLabels: first.ignoreLabels,
      },
      transfer: [],
    };
  },
  split(entities, requests) {
    let row = 0;
    return requests.map((request) => {
      const own = entities.slice(row, row + request.texts.length);
      row += request.texts.length;
      return own;
    });
  },
};

/** Named entities (or any token labels): typed spans with offsets into the caller's texts. */
export const tokenClassificationTask: TaskDefinition<
  TokenClassificationInput,
  TokenClassificationInput,
  EntityPayload,
  Entity[][],
  Entity[][],
  TokenClassificationOutput
> = {
  task: 'token-classification',
  runtime: {
    async load(entry, context): Promise<TokenClassificationModel> {
      const { loadTransformersTokenClassification } =
        await import('./transformers-token-classification.js');
      return loadTransformersTokenClassification(entry, context);
    },
    warmUp: (model: TokenClassificationModel) => model.tag(['warm up']).then(() => undefined),
    async run(model: TokenClassificationModel, payload) {
      const tagged = await model.tag(payload.texts);
      return payload.texts.map((text, index) =>
        aggregateEntities(text, tagged[index] ?? [], model.labels, payload),
      );
    },
    dispose: (model: TokenClassificationModel) => model.dispose(),
  },
  admit: (input) => ({
    texts: input.texts,
    aggregation: input.aggregation,
    ignoreLabels: input.ignoreLabels,
    mask: input.mask,
  }),
  codec: () => tokenClassificationCodec,
  output: (entities, served, request) => ({
    kind: 'token-classification',
    ...served,
    entities,
    ...(request.mask
      ? {
          maskedTexts: request.texts.map((text, index) =>
            maskEntities(text, entities[index] ?? []),
          ),
        }
      : {}),
  }),
  parts: {
    count: (input) => input.texts.length,
    slice: (input, start, end) => ({ ...input, texts: input.texts.slice(start, end) }),
    join: (outputs) =>
      outputs.reduce((joined, output) => ({
        ...joined,
        entities: joined.entities.concat(output.entities),
        ...(joined.maskedTexts && output.maskedTexts
          ? { maskedTexts: joined.maskedTexts.concat(output.maskedTexts) }
          : {}),
        inferenceTimeMs: joined.inferenceTimeMs + output.inferenceTimeMs,
        queueTimeMs: joined.queueTimeMs + output.queueTimeMs,
      })),
  },
  predict: {
    accepts: (input) => input.texts !== undefined,
    toInput: (input) =>
      input.texts
        ? Promise.resolve({
            texts: input.texts,
            aggregation: input.aggregation,
            ignoreLabels: input.ignoreLabels,
            mask: input.mask,
          })
        : Promise.reject(new ModelError('INVALID_INPUT', 'texts are required')),
  },
};
