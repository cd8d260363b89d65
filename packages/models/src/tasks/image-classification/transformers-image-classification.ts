import {
  RawImage,
  type ImageClassificationOutput,
  type ImageClassificationPipeline,
} from '@huggingface/transformers';
import type { Prediction } from '@mlrpc/schema';
import type { ModelEntry } from '../../model-config.js';
import type { LoadContext } from '../../runtime/load-context.js';
import { loadPipeline } from '../../runtime/transformers-pipeline.js';
import type { DecodedImage } from './decoded-image.js';
import type { ImageClassificationModel } from './image-classification-model.js';

function toRawImage(image: DecodedImage): RawImage {
  const pixels = new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length);
  return new RawImage(pixels, image.width, image.height, image.channels);
}

function toPredictions(output: ImageClassificationOutput): Prediction[] {
  return output.map((item) => ({ label: item.label, confidence: item.score }));
}

/** Image classification through a transformers.js pipeline (its own preprocessing config). */
export async function loadTransformersImageClassification(
  entry: ModelEntry,
  context: LoadContext,
): Promise<ImageClassificationModel> {
  const classifier = (await loadPipeline(
    'image-classification',
    entry,
    context,
  )) as ImageClassificationPipeline;
  return {
    async classify(images, topK) {
      const output = await classifier(images.map(toRawImage), { top_k: topK });
      // A single image may come back as a flat list rather than a list of one list.
      const perImage = (
        Array.isArray(output[0]) ? output : [output]
      ) as ImageClassificationOutput[];
      return perImage.map(toPredictions);
    },
    async dispose() {
      await classifier.dispose();
    },
  };
}
