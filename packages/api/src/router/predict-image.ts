import {
  imagePredictOutputSchema,
  imageUploadInputSchema,
  tokenClassificationDefaults,
  type ImagePredictOutput,
} from '@mlrpc/schema';
import { runPredict } from '@mlrpc/engine';
import { ModelError } from '@mlrpc/models';
import { inferProcedure } from '../trpc.js';

/**
 * Image classification of an uploaded file (multipart/form-data): what a browser holding a
 * `File` or a script holding bytes sends without encoding them first. `predict` still takes
 * base64 and URLs in JSON.
 */
export const predictImageProcedure = inferProcedure
  .meta({
    openapi: {
      method: 'POST',
      path: '/predict/image',
      tags: ['inference'],
      protect: true,
      summary: 'Classify an uploaded image (multipart/form-data: curl -F image=@cat.png)',
      contentTypes: ['multipart/form-data'],
    },
  })
  .input(imageUploadInputSchema)
  .output(imagePredictOutputSchema)
  .mutation(async ({ ctx, input, signal }): Promise<ImagePredictOutput> => {
    const output = await runPredict(
      ctx.models,
      ctx.imageFetch,
      { ...tokenClassificationDefaults, ...input, task: 'image-classification' },
      signal,
    );
    if (output.kind !== 'image-classification') {
      throw new ModelError('TASK_MISMATCH', `predictImage was served as ${output.kind}`);
    }
    return output;
  });
