import {
  RawImage,
  type ImageClassificationOutput,
  type ImageClassificationPipeline,
} from '@huggingface/transformers';
import type { Prediction } from '@mlrpc/schema';
import type { DecodedImage } from '../image/decoded-image.js';
import type { ImageClassificationModel, ModelLoader } from './model-backend.js';
import { loadPipeline } from './transformers-pipeline.js';

function toRawImage(image: DecodedImage): RawImage {
  const pixels = new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length);
  return new RawImage(pixels, image.width, image.height, image.channels);
}

function toPredictions(output: ImageClassificationOutput): Prediction[] {
  return output.map((item) => ({ label: item.label, confidence: item.score }));
}

/** Image classification through a transformers.js pipeline (its own preprocessing config). */
export const loadTransformersImageClassification: ModelLoader<'image-classification'> = async (
  entry,
  context,
) => {
  const classifier = (await loadPipeline(
    'image-classification',
    entry,
    context,
  )) as ImageClassificationPipeline;

  const model: ImageClassificationModel = {
    task: 'image-classification',
    async classify(images, options) {
      const output = await classifier(images.map(toRawImage), { top_k: options.topK });
      // A single image may come back as a flat list rather than a list of one list.
      const perImage = (
        Array.isArray(output[0]) ? output : [output]
      ) as ImageClassificationOutput[];
      return { predictions: perImage.map(toPredictions) };
    },
    async dispose() {
      await classifier.dispose();
    },
  };
  return model;
};
