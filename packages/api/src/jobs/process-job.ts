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
        const size = limits.jobEmbedBatchSize;
        const part = (start: number) => {
          const running = models.embed({
            ...selection,
            texts: texts.slice(start, start + size),
            signal,
          });
          running.catch(() => undefined); // awaited below; this only keeps an early failure handled
          return running;
        };
        let merged: EmbedOutput | undefined;
        // The next part is queued while this one runs, so the model never idles between parts.
        let next = part(0);
        for (let start = 0; start < texts.length; start += size) {
          const current = next;
          if (start + size < texts.length) next = part(start + size);
          const output = await current;
          merged = merged
            ? {
                ...merged,
                embeddings: merged.embeddings.concat(output.embeddings),
                inferenceTimeMs: merged.inferenceTimeMs + output.inferenceTimeMs,
                queueTimeMs: merged.queueTimeMs + output.queueTimeMs,
                usage: { promptTokens: merged.usage.promptTokens + output.usage.promptTokens },
              }
            : output;
          reportProgress(Math.min(texts.length, start + size) / texts.length);
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
