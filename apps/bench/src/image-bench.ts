import {
  env,
  pipeline,
  RawImage,
  type ImageClassificationPipeline,
} from '@huggingface/transformers';
import { createClient } from '@mlrpc/client';
import sharp from 'sharp';
import { closedLoop } from './load.js';
import { modelsDir } from './paths.js';
import { itemsPerSecond, repeat } from './statistics.js';

/** Callers at once through the server. */
export const imageCallers = 4;
/** The image model, as the bench config and the hub name it. */
export const imageModel = { id: 'mobilenet-bench', source: 'onnx-community/mobilenet_v2_1.0_224' };

/**
 * A photo-sized JPEG: 1,600 x 1,200 of smoothed noise at quality 85, about what a phone
 * camera's picture scaled for the web weighs, and far more than a 224 x 224 model needs.
 */
export async function photoJpeg(): Promise<Buffer> {
  const width = 1_600;
  const height = 1_200;
  const pixels = Buffer.alloc(width * height * 3);
  let state = 20_261_202;
  for (let index = 0; index < pixels.length; index += 1) {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    pixels[index] = state >>> 23;
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .blur(1.5)
    .jpeg({ quality: 85 })
    .toBuffer();
}

/** Images per second in-process: decode the JPEG, then the same transformers.js pipeline the server runs. */
export async function rawImageClassification(photo: Buffer, runs: number, seconds: number) {
  env.allowRemoteModels = false;
  env.localModelPath = `${modelsDir}/`;
  const classifier: ImageClassificationPipeline = await pipeline(
    'image-classification',
    imageModel.source,
    { dtype: 'q8', device: 'cpu' },
  );
  const classify = async () => {
    const image = await RawImage.fromBlob(new Blob([new Uint8Array(photo)]));
    await classifier(image, { top_k: 5 });
  };
  await classify();
  const results = await repeat(runs, () => itemsPerSecond(seconds, 1, classify));
  await classifier.dispose();
  return results;
}

/** How the image travels: its bytes in a form upload, or base64 in a JSON `predict` call. */
export const imageTransports = ['upload', 'base64'] as const;
export type ImageTransport = (typeof imageTransports)[number];

/**
 * Images per second through the server each way, 4 callers, each call encoding the image as a
 * client would; the two transports alternate run by run so both see the same machine state.
 */
export async function serverImageClassification(
  url: string,
  photo: Buffer,
  runs: number,
  seconds: number,
): Promise<Record<ImageTransport, number[]>> {
  const client = createClient({ url, batch: false });
  const calls: Record<ImageTransport, () => Promise<unknown>> = {
    upload: () => client.predictImage.mutate({ model: imageModel.id, image: photo }),
    base64: () =>
      client.predict.mutate({ model: imageModel.id, image: { base64: photo.toString('base64') } }),
  };
  const results: Record<ImageTransport, number[]> = { upload: [], base64: [] };
  for (const transport of imageTransports) await closedLoop(imageCallers, 1_000, calls[transport]);
  for (let run = 0; run < runs; run += 1) {
    for (const transport of imageTransports) {
      const measured = await closedLoop(imageCallers, seconds * 1000, calls[transport]);
      results[transport].push(measured.perSecond);
    }
  }
  return results;
}

/** Bytes of one call's request body each way, built as the client builds them. */
export async function requestBytes(photo: Buffer): Promise<Record<ImageTransport, number>> {
  const json = JSON.stringify({
    json: { model: imageModel.id, image: { base64: photo.toString('base64') } },
  });
  const form = new FormData();
  form.append('model', imageModel.id);
  form.append('image', new Blob([new Uint8Array(photo)]), 'image');
  const upload = (await new Response(form).arrayBuffer()).byteLength;
  return { base64: Buffer.byteLength(json), upload };
}
