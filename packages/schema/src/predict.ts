import { z } from 'zod';
import { imageSourceSchema } from './image-source.js';
import { limits } from './limits.js';
import { modelSelectionShape, servedByShape } from './model-reference.js';
import { tensorMapSchema, tensorSchema } from './tensor.js';

const topKSchema = z.number().int().min(1).max(limits.topKMax).default(limits.topKDefault);

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

/**
 * Either an `image` (image-classification models) or named `inputs` (generic ONNX models). One
 * object rather than a union of the two above, so it is also a plain JSON body for REST/OpenAPI.
 */
export const predictInputSchema = z
  .object({
    ...modelSelectionShape,
    image: imageSourceSchema.optional(),
    inputs: tensorMapSchema.optional(),
    topK: topKSchema,
  })
  .strict()
  .superRefine((value, context) => {
    if ((value.image === undefined) === (value.inputs === undefined)) {
      context.addIssue({
        code: 'custom',
        message: 'give either image (to classify) or inputs (named tensors), not both or neither',
        path: [],
      });
    }
  });
export type PredictInput = ImagePredictInput | TensorPredictInput;
/** A predict input as the server sees it after validation (defaults applied). */
export type PredictRequest = z.output<typeof predictInputSchema>;

/** Narrow on `kind` to get the image or the tensor shape. */
export const predictOutputSchema = z.discriminatedUnion('kind', [
  imagePredictOutputSchema,
  tensorPredictOutputSchema,
]);
export type PredictOutput = z.infer<typeof predictOutputSchema>;
