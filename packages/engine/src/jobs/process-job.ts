import { randomUUID } from 'node:crypto';
import type { JobProcessor } from '@mlrpc/jobs';
import type { ModelManager } from '@mlrpc/models';
import type { ImageFetchOptions } from '../image/fetch-image.js';
import { runInParts } from '../predict/run-in-parts.js';
import { runPredict } from '../predict/run-predict.js';

/**
 * Does a job's work with the same engine as the live procedures: big inputs in parts with
 * progress per part (embeddings, predictions over many texts), chat with progress per token.
 */
export function createJobProcessor(
  models: ModelManager,
  imageFetch: ImageFetchOptions,
): JobProcessor {
  return async (submission, { signal, reportProgress }) => {
    switch (submission.kind) {
      case 'embed':
        return runInParts(
          models,
          'feature-extraction',
          { ...submission.input, signal },
          { reportProgress },
        );
      case 'predict':
        return runPredict(models, imageFetch, submission.input, signal, { reportProgress });
      case 'rerank':
        return runInParts(models, 'rerank', { ...submission.input, signal }, { reportProgress });
      case 'chat': {
        let tokens = 0;
        const input = submission.input;
        return models.run('text-generation', {
          ...input,
          generationId: randomUUID(),
          signal,
          onTokens: (count) => reportProgress((tokens += count) / input.maxTokens),
        });
      }
    }
  };
}
