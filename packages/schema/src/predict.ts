import { z } from 'zod';
import { imageSourceSchema } from './image-source.js';
import { limits } from './limits.js';
import { modelSelectionShape, servedByShape } from './model-reference.js';

export const imagePredictInputSchema = z.object({
  ...modelSelectionShape,
  image: imageSourceSchema,
  topK: z.number().int().min(1).max(limits.topKMax).default(limits.topKDefault),
});
export type ImagePredictInput = z.input<typeof imagePredictInputSchema>;

export const predictionSchema = z.object({
  label: z.string(),
  confidence: z.number().min(0).max(1),
});
export type Prediction = z.infer<typeof predictionSchema>;

export const imagePredictOutputSchema = z.object({
  ...servedByShape,
  predictions: z.array(predictionSchema),
});
export type ImagePredictOutput = z.infer<typeof imagePredictOutputSchema>;
