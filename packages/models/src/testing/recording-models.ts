import type { ChatMessage, Prediction } from '@mlrpc/schema';
import type { EmbeddingModel } from '../tasks/feature-extraction/embedding-model.js';
import type { DecodedImage } from '../tasks/image-classification/decoded-image.js';
import type { ImageClassificationModel } from '../tasks/image-classification/image-classification-model.js';
import type {
  TensorModel,
  TensorModelMetadata,
  TensorValues,
} from '../tasks/tensor/tensor-model.js';
import type {
  GenerateOptions,
  TextGenerationModel,
} from '../tasks/text-generation/text-generation-model.js';

/** What every fake keeps: the calls it got, in order, and whether it was disposed. */
export interface Recording<Call> {
  readonly calls: Call[];
  disposed: boolean;
}

/** A unit vector that depends only on the text: same text, same vector; others differ. */
function vectorOf(text: string, dimension: number): number[] {
  const vector = Array.from({ length: dimension }, (_, index) => {
    let hash = 2166136261 ^ index;
    for (const character of text) hash = Math.imul(hash ^ character.charCodeAt(0), 16777619);
    return ((hash >>> 0) / 2 ** 32) * 2 - 1;
  });
  const norm = Math.hypot(...vector) || 1;
  return vector.map((value) => value / norm);
}

/** An embedder recording each batch of texts it embeds; vectors come from `embed` or a text hash. */
export function recordingEmbeddingModel(
  options: { dimension?: number; embed?: (text: string) => number[] } = {},
): EmbeddingModel & Recording<string[]> {
  const dimension = options.dimension ?? 8;
  const model = {
    calls: [] as string[][],
    disposed: false,
    embed(texts: string[]) {
      model.calls.push(texts);
      const rows = texts.map((text) => options.embed?.(text) ?? vectorOf(text, dimension));
      return Promise.resolve({
        data: Float32Array.from(rows.flat()),
        dimension: rows[0]?.length ?? dimension,
        tokens: texts.map((text) => text.split(/\s+/).filter(Boolean).length + 2),
      });
    },
    dispose() {
      model.disposed = true;
      return Promise.resolve();
    },
  };
  return model;
}

/** An image classifier recording each batch; `classify` answers per image (default: its width). */
export function recordingImageClassifier(
  classify: (image: DecodedImage) => Prediction[] = (image) => [
    { label: String(image.width), confidence: 1 },
  ],
): ImageClassificationModel & Recording<DecodedImage[]> {
  const model = {
    calls: [] as DecodedImage[][],
    disposed: false,
    classify(images: DecodedImage[], topK: number) {
      model.calls.push(images);
      return Promise.resolve(images.map((image) => classify(image).slice(0, topK)));
    },
    dispose() {
      model.disposed = true;
      return Promise.resolve();
    },
  };
  return model;
}

/** A tensor model with the given specs, recording each call; `infer` computes the outputs. */
export function recordingTensorModel(
  metadata: TensorModelMetadata,
  infer: (inputs: TensorValues) => TensorValues,
): TensorModel & Recording<TensorValues> {
  const model = {
    metadata,
    calls: [] as TensorValues[],
    disposed: false,
    infer(inputs: TensorValues) {
      model.calls.push(inputs);
      return Promise.resolve(infer(inputs));
    },
    dispose() {
      model.disposed = true;
      return Promise.resolve();
    },
  };
  return model;
}

/**
 * A chat model that answers `reply(messages)` word by word (one token per word, honouring
 * maxTokens and the abort signal), recording each conversation it was asked to continue.
 */
export function recordingChatModel(
  reply: (messages: ChatMessage[]) => string = (messages) =>
    `You said: ${messages.at(-1)?.content ?? ''}`,
): TextGenerationModel & Recording<{ messages: ChatMessage[]; options: GenerateOptions }> {
  const model = {
    calls: [] as Array<{ messages: ChatMessage[]; options: GenerateOptions }>,
    disposed: false,
    generate(messages: ChatMessage[], options: GenerateOptions) {
      model.calls.push({ messages, options });
      const words = reply(messages).split(/(?<= )/);
      let text = '';
      let completionTokens = 0;
      for (const word of words) {
        if (options.signal?.aborted || completionTokens >= options.maxTokens) break;
        completionTokens += 1;
        text += word;
        options.onTokens?.(1);
        options.onText(word);
      }
      const finishReason = options.signal?.aborted
        ? ('abort' as const)
        : completionTokens < words.length
          ? ('length' as const)
          : ('stop' as const);
      return Promise.resolve({
        text,
        finishReason,
        promptTokens: messages.length,
        completionTokens,
      });
    },
    dispose() {
      model.disposed = true;
      return Promise.resolve();
    },
  };
  return model;
}
