import type { ChatMessage, Prediction } from '@mlrpc/schema';
import type { EmbeddingModel } from '../tasks/feature-extraction/embedding-model.js';
import type { DecodedImage } from '../tasks/image-classification/decoded-image.js';
import type { ImageClassificationModel } from '../tasks/image-classification/image-classification-model.js';
import type { CrossEncoderModel } from '../tasks/rerank/cross-encoder-model.js';
import type { TextClassificationModel } from '../tasks/text-classification/text-classification-model.js';
import type {
  TensorModel,
  TensorModelMetadata,
  TensorValues,
} from '../tasks/tensor/tensor-model.js';
import type {
  GenerateOptions,
  TextGenerationModel,
} from '../tasks/text-generation/text-generation-model.js';
import type { TokenClassificationModel } from '../tasks/token-classification/token-classification-model.js';

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
        options.onStep({ text: word, tokens: 1 });
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

/** A text classifier recording each batch; `classify` gives one text's labels (default: its length). */
export function recordingTextClassifier(
  classify: (text: string) => Prediction[] = (text) => [
    { label: text.length % 2 === 0 ? 'even' : 'odd', confidence: 0.9 },
    { label: text.length % 2 === 0 ? 'odd' : 'even', confidence: 0.1 },
  ],
): TextClassificationModel & Recording<string[]> {
  const model = {
    calls: [] as string[][],
    disposed: false,
    classify(texts: string[], topK: number) {
      model.calls.push(texts);
      return Promise.resolve({
        predictions: texts.map((text) => classify(text).slice(0, topK)),
        tokens: texts.map((text) => text.length),
      });
    },
    dispose() {
      model.disposed = true;
      return Promise.resolve();
    },
  };
  return model;
}

/** A token classifier that tags capitalized words as people (a run of them is one), the rest O. */
export function recordingTokenClassifier(): TokenClassificationModel & Recording<string[]> {
  const labels = ['O', 'B-PER', 'I-PER'];
  const model = {
    labels,
    calls: [] as string[][],
    disposed: false,
    tag(texts: string[]) {
      model.calls.push(texts);
      return Promise.resolve(
        texts.map((text) => {
          let previousCapital = false;
          return [...text.matchAll(/\S+/g)].map((match) => {
            const capital = /^\p{Lu}/u.test(match[0]);
            const scores = !capital
              ? [0.9, 0.05, 0.05]
              : previousCapital
                ? [0.1, 0.1, 0.8]
                : [0.1, 0.8, 0.1];
            previousCapital = capital;
            return { start: match.index, end: match.index + match[0].length, scores };
          });
        }),
      );
    },
    dispose() {
      model.disposed = true;
      return Promise.resolve();
    },
  };
  return model;
}

/** A cross-encoder scoring a pair by the words query and document share, recording each batch. */
export function recordingCrossEncoder(): CrossEncoderModel & Recording<Array<[string, string]>> {
  const words = (text: string) => new Set(text.toLowerCase().split(/\W+/).filter(Boolean));
  const model = {
    calls: [] as Array<Array<[string, string]>>,
    disposed: false,
    score(pairs: Array<[string, string]>) {
      model.calls.push(pairs);
      return Promise.resolve({
        logits: pairs.map(([query, document]) => {
          const documentWords = words(document);
          return [...words(query)].filter((word) => documentWords.has(word)).length - 0.5;
        }),
        tokens: pairs.map(([query, document]) => query.length + document.length),
      });
    },
    dispose() {
      model.disposed = true;
      return Promise.resolve();
    },
  };
  return model;
}
