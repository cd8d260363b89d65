import type { ImagePredictOutput, Prediction } from '@mlrpc/schema';
import { ModelError } from '../../model-error.js';
import type { TaskDefinition } from '../task-definition.js';
import {
  classifyCodec,
  type ClassifyPayload,
  type ClassifyRequest,
  type ClassifyResult,
} from './classify-codec.js';
import { decodeImage } from './decode-image.js';
import type { ImageClassificationModel } from './image-classification-model.js';

/** A copy that owns its memory, so it can move to the model's thread. */
function ownedCopy(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes);
}

/** Top-k labels for one image (any format sharp decodes), decoded in the model's thread. */
export const imageClassificationTask: TaskDefinition<
  ClassifyRequest,
  ClassifyRequest,
  ClassifyPayload,
  ClassifyResult,
  Prediction[],
  ImagePredictOutput
> = {
  task: 'image-classification',
  runtime: {
    async load(entry, context): Promise<ImageClassificationModel> {
      const { loadTransformersImageClassification } =
        await import('./transformers-image-classification.js');
      return loadTransformersImageClassification(entry, context);
    },
    warmUp: (model: ImageClassificationModel) =>
      model
        .classify([{ data: new Uint8Array(32 * 32 * 3), width: 32, height: 32, channels: 3 }], 1)
        .then(() => undefined),
    async run(model: ImageClassificationModel, payload, context) {
      const decoded = await Promise.allSettled(
        payload.images.map((bytes) =>
          decodeImage(bytes, { maxPixels: context.settings.maxImagePixels }),
        ),
      );
      const readable = decoded.flatMap((outcome) =>
        outcome.status === 'fulfilled' ? [outcome.value] : [],
      );
      const predictions = readable.length > 0 ? await model.classify(readable, payload.topK) : [];
      let next = 0;
      return decoded.map((outcome) => {
        if (outcome.status === 'fulfilled') return predictions[next++] ?? [];
        const error: unknown = outcome.reason;
        return error instanceof ModelError
          ? { code: error.code, message: error.message }
          : { code: 'INVALID_IMAGE' as const, message: String(error) };
      });
    },
    dispose: (model: ImageClassificationModel) => model.dispose(),
  },
  admit: (input) => ({ image: ownedCopy(input.image), topK: input.topK }),
  codec: () => classifyCodec,
  output: (predictions, served) => ({ kind: 'image-classification', ...served, predictions }),
  predict: {
    accepts: (input) => input.image !== undefined,
    async toInput(input, reader) {
      if (!input.image) throw new ModelError('INVALID_INPUT', 'an image is required');
      return { image: await reader.readImage(input.image), topK: input.topK };
    },
  },
};
