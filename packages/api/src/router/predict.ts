import { imagePredictInputSchema, imagePredictOutputSchema } from '@mlrpc/schema';
import { readImageSource } from '../image/read-image-source.js';
import { publicProcedure } from '../trpc.js';

/** Image classification: top-k labels for an image sent inline or by URL. */
export const predictProcedure = publicProcedure
  .input(imagePredictInputSchema)
  .output(imagePredictOutputSchema)
  .mutation(async ({ ctx, input, signal }) => {
    const image = await readImageSource(input.image, ctx.imageFetch, signal);
    return ctx.models.classifyImage({
      model: input.model,
      version: input.version,
      topK: input.topK,
      image,
      signal,
    });
  });
