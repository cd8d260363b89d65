import type { Prediction } from '@mlrpc/schema';
import type { DecodedImage } from './decoded-image.js';

/** An image classifier as its task needs it; backends and test fakes implement it. */
export interface ImageClassificationModel {
  /** Top-k labels per image, best first. */
  classify(images: DecodedImage[], topK: number): Promise<Prediction[][]>;
  dispose(): Promise<void>;
}
