import { predictInputSchema, predictOutputSchema } from '@mlrpc/schema';
import { readImageSource } from '../image/read-image-source.js';
import { publicProcedure } from '../trpc.js';

/** Image classification (an image sent inline or by URL) or a generic ONNX model (named tensors). */
export const predictProcedure = publicProcedure
  .input(predictInputSchema)
  .output(predictOutputSchema)
  .mutation(async ({ ctx, input, signal }) => {
    if ('inputs' in input) return ctx.models.predictTensors({ ...input, signal });
    const { image: source, ...selection } = input;
    const image = await readImageSource(source, ctx.imageFetch, signal);
    return ctx.models.classifyImage({ ...selection, image, signal });
  });
