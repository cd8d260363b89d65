import { z } from 'zod';
import { imageSourceSchema, type ImageSource } from './image-source.js';
import type { ImageBytes } from './image-upload.js';
import { limits } from './limits.js';
import { modelTaskSchema } from './model-info.js';
import { modelSelectionShape, servedByShape } from './model-reference.js';
import { tensorMapSchema, tensorSchema } from './tensor.js';

/** How many labels to return, best first. */
export const topKSchema = z.number().int().min(1).max(limits.topKMax).default(limits.topKDefault);

export const predictionSchema = z.object({
  label: z.string(),
  confidence: z.number().min(0).max(1),
});
export type Prediction = z.infer<typeof predictionSchema>;

/** Image classification: one image in, its top-k labels out. */
export const imagePredictInputSchema = z
  .object({ ...modelSelectionShape, image: imageSourceSchema, topK: topKSchema })
  .strict();
export type ImagePredictInput = z.input<typeof imagePredictInputSchema>;

export const imagePredictOutputSchema = z.object({
  kind: z.literal('image-classification'),
  ...servedByShape,
  predictions: z.array(predictionSchema),
});
export type ImagePredictOutput = z.infer<typeof imagePredictOutputSchema>;

/** A generic ONNX model: named input tensors in, named output tensors out. */
export const tensorPredictInputSchema = z
  .object({ ...modelSelectionShape, inputs: tensorMapSchema, topK: topKSchema })
  .strict();
export type TensorPredictInput = z.input<typeof tensorPredictInputSchema>;

export const tensorPredictOutputSchema = z.object({
  kind: z.literal('tensor'),
  ...servedByShape,
  outputs: z.record(z.string(), tensorSchema),
  /** Per batch row, when the model config maps an output to labels. */
  predictions: z.array(z.array(predictionSchema)).optional(),
});
export type TensorPredictOutput = z.infer<typeof tensorPredictOutputSchema>;

const predictTextSchema = z
  .string()
  .max(
    limits.predictMaxTextLength,
    `each text holds at most ${limits.predictMaxTextLength} characters`,
  )
  .refine((text) => text.trim().length > 0, 'text must not be blank');

/** Texts for text or token classification, at most `max` of them (more in jobs). */
export function predictTextsSchema(max: number) {
  return z
    .array(predictTextSchema)
    .min(1, 'texts must hold at least one text')
    .max(max, `texts holds at most ${max} items`);
}

/**
 * How token labels become entities, as in transformers' pipelines: `none` gives every tagged
 * token; `simple` merges B-/I- pieces of one type; `first`, `average` and `max` first give each
 * word one label (from its first piece, the pieces' mean scores, or its best piece), then merge.
 */
export const entityAggregationSchema = z.enum(['none', 'simple', 'first', 'average', 'max']);
export type EntityAggregation = z.infer<typeof entityAggregationSchema>;

const tokenClassificationOptionsShape = {
  /** Token classification: how pieces become entities (default `simple`). */
  aggregation: entityAggregationSchema.default('simple'),
  /** Token classification: labels that are not entities (default `O`). */
  ignoreLabels: z.array(z.string().min(1).max(64)).max(64).default(['O']),
  /** Token classification: also return each text with its entities replaced by `[TYPE]`. */
  mask: z.boolean().default(false),
};

/** The token classification options' defaults, for predict requests built from other inputs (uploads). */
export const tokenClassificationDefaults = z.object(tokenClassificationOptionsShape).parse({});

/** Text classification (sentiment, spam, moderation): texts in, top-k labels per text out. */
export const textPredictInputSchema = z
  .object({
    ...modelSelectionShape,
    texts: predictTextsSchema(limits.predictMaxTexts),
    task: z.enum(['text-classification', 'token-classification']).optional(),
    topK: topKSchema,
    ...tokenClassificationOptionsShape,
  })
  .strict();
export type TextPredictInput = z.input<typeof textPredictInputSchema>;

export const textClassificationOutputSchema = z.object({
  kind: z.literal('text-classification'),
  ...servedByShape,
  /** Per text, its top-k labels, best first. */
  predictions: z.array(z.array(predictionSchema)),
});
export type TextClassificationOutput = z.infer<typeof textClassificationOutputSchema>;

/** One entity found in a text; `start`/`end` are offsets into the caller's own string. */
export const entitySchema = z.object({
  /** The entity type (`PER`, `LOC`...), or the token's own label with aggregation `none`. */
  type: z.string(),
  /** Exactly `text.slice(start, end)` of the text it was found in. */
  text: z.string(),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  score: z.number().min(0).max(1),
});
export type Entity = z.infer<typeof entitySchema>;

export const tokenClassificationOutputSchema = z.object({
  kind: z.literal('token-classification'),
  ...servedByShape,
  /** Per text, its entities in order of appearance. */
  entities: z.array(z.array(entitySchema)),
  /** With `mask`: each text with its entities replaced by `[TYPE]`. */
  maskedTexts: z.array(z.string()).optional(),
});
export type TokenClassificationOutput = z.infer<typeof tokenClassificationOutputSchema>;

/** The fields of predict's one input object, with texts allowed up to `maxTexts`. */
function predictShape(maxTexts: number) {
  return {
    ...modelSelectionShape,
    image: imageSourceSchema.optional(),
    inputs: tensorMapSchema.optional(),
    texts: predictTextsSchema(maxTexts).optional(),
    /**
     * The task to serve when no model is named (texts go to text classification unless this
     * says `token-classification`); with a model named, it must be that model's task.
     */
    task: modelTaskSchema.optional(),
    topK: topKSchema,
    ...tokenClassificationOptionsShape,
  };
}

/** Exactly one of image, inputs and texts; the model (or the task defaults) decides the rest. */
function predictSchemaFor(maxTexts: number) {
  return z
    .object(predictShape(maxTexts))
    .strict()
    .superRefine((value, context) => {
      const given = [value.image, value.inputs, value.texts].filter((field) => field !== undefined);
      if (given.length !== 1) {
        context.addIssue({
          code: 'custom',
          message:
            'give exactly one of image (to classify), inputs (named tensors) or texts (text or token classification)',
          path: [],
        });
      }
    });
}

/**
 * An `image` (image classification), named `inputs` (generic ONNX models) or `texts` (text or
 * token classification, as the model's task says). One object rather than a union, so it is
 * also a plain JSON body for REST/OpenAPI.
 */
export const predictInputSchema = predictSchemaFor(limits.predictMaxTexts);
/** The same as a job: far more texts, run in parts with progress. */
export const jobPredictInputSchema = predictSchemaFor(limits.jobEmbedMaxTexts);
export type PredictInput = ImagePredictInput | TensorPredictInput | TextPredictInput;
/** A predict input as the server sees it after validation (defaults applied); an upload's bytes may stand in for its image. */
export type PredictRequest = Omit<z.output<typeof predictInputSchema>, 'image'> & {
  image?: ImageSource | ImageBytes | undefined;
};

/** Narrow on `kind` to get the image, tensor, text or token shape. */
export const predictOutputSchema = z.discriminatedUnion('kind', [
  imagePredictOutputSchema,
  tensorPredictOutputSchema,
  textClassificationOutputSchema,
  tokenClassificationOutputSchema,
]);
export type PredictOutput = z.infer<typeof predictOutputSchema>;
