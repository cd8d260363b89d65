import { predictInputSchema, predictOutputSchema } from '@mlrpc/schema';
import { runPredict } from '@mlrpc/engine';
import { inferProcedure } from '../trpc.js';

/**
 * Image classification (an image sent inline or by URL), a generic ONNX model (named tensors),
 * or text and token classification (texts): the model, or the task defaults, decide which.
 */
export const predictProcedure = inferProcedure
  .meta({
    openapi: {
      method: 'POST',
      path: '/predict',
      tags: ['inference'],
      protect: true,
      summary: 'Image, text or token classification, or generic tensor inference',
    },
  })
  .input(predictInputSchema)
  .output(predictOutputSchema)
  .mutation(({ ctx, input, signal }) => runPredict(ctx.models, ctx.imageFetch, input, signal));
