import { randomUUID } from 'node:crypto';
import type { JobProcessor } from '@mlrpc/jobs';
import type { ModelManager } from '@mlrpc/models';
import { limits, type EmbedOutput } from '@mlrpc/schema';
import type { ImageFetchOptions } from '../image/fetch-image.js';
import { runPredict } from '../predict/run-predict.js';

/**
 * Does a job's work with the same engine as the live procedures: embeddings in batches (progress
 * per batch), predictions, and chat (progress per generated token).
 */
export function createJobProcessor(
  models: ModelManager,
  imageFetch: ImageFetchOptions,
): JobProcessor {
  return async (submission, { signal, reportProgress }) => {
    switch (submission.kind) {
      case 'embed': {
        const { texts, ...selection } = submission.input;
        let merged: EmbedOutput | undefined;
        for (let start = 0; start < texts.length; start += limits.jobEmbedBatchSize) {
          const part = await models.embed({
            ...selection,
            texts: texts.slice(start, start + limits.jobEmbedBatchSize),
            signal,
          });
          merged = merged
            ? {
                ...merged,
                embeddings: merged.embeddings.concat(part.embeddings),
                inferenceTimeMs: merged.inferenceTimeMs + part.inferenceTimeMs,
                queueTimeMs: merged.queueTimeMs + part.queueTimeMs,
                usage: { promptTokens: merged.usage.promptTokens + part.usage.promptTokens },
              }
            : part;
          reportProgress(Math.min(texts.length, start + limits.jobEmbedBatchSize) / texts.length);
        }
        return merged as EmbedOutput;
      }
      case 'predict':
        return runPredict(models, imageFetch, submission.input, signal);
      case 'chat': {
        let tokens = 0;
        const input = submission.input;
        return models.chat(
          { ...input, generationId: randomUUID(), signal },
          { onTokens: (count) => reportProgress((tokens += count) / input.maxTokens) },
        );
      }
    }
  };
}
