import { predictInputSchema, predictOutputSchema } from '@mlrpc/schema';
import { runPredict } from '@mlrpc/engine';
import { inferProcedure } from '../trpc.js';

/** Image classification (an image sent inline or by URL) or a generic ONNX model (named tensors). */
export const predictProcedure = inferProcedure
  .meta({
    openapi: {
      method: 'POST',
      path: '/predict',
      tags: ['inference'],
      protect: true,
      summary: 'Image classification or generic tensor inference',
    },
  })
  .input(predictInputSchema)
  .output(predictOutputSchema)
  .mutation(({ ctx, input, signal }) => runPredict(ctx.models, ctx.imageFetch, input, signal));
