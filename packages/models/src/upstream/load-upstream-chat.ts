import OpenAI from 'openai';
import type { TextGenerationModel } from '../backend/model-backend.js';
import { BatchQueue } from '../batching/batch-queue.js';
import { generateCodec, toGenerateRequest } from '../batching/generate-codec.js';
import type { ModelEntry } from '../model-config.js';
import { ModelError } from '../model-error.js';
import { UpstreamChatWorker } from './upstream-chat-worker.js';
import { upstreamError } from './upstream-error.js';

/** Turns `env:NAME` into that secret; the server supplies the lookup, so no package reads the env. */
export type SecretLookup = (name: string) => string | undefined;

/**
 * A text-generation model served by a remote OpenAI-compatible server. Loading checks that the
 * upstream answers and knows the model, so a bad URL or key fails at load, not at the first call.
 */
export async function loadUpstreamChat(
  entry: ModelEntry,
  secret: SecretLookup,
  onTokens: (tokens: number) => void,
): Promise<TextGenerationModel & { queueDepth(): number }> {
  const apiKey = entry.apiKey?.startsWith('env:') ? secret(entry.apiKey.slice(4)) : entry.apiKey;
  const client = new OpenAI({
    baseURL: entry.baseURL,
    apiKey: apiKey ?? 'none',
    maxRetries: 0,
    timeout: entry.timeoutMs,
  });
  const remoteModel = entry.remoteModel ?? entry.source;
  try {
    await client.models.retrieve(remoteModel);
  } catch (error) {
    throw new ModelError('MODEL_LOAD_FAILED', upstreamError(error, client.baseURL).message, {
      cause: error,
    });
  }
  const workers = Array.from(
    { length: entry.instances },
    () => new UpstreamChatWorker(client, remoteModel, entry.timeoutMs),
  );
  const queue = new BatchQueue(
    generateCodec,
    {
      maxBatchSize: 1,
      maxQueueDelayMs: 0,
      maxQueueSize: entry.maxQueueSize,
      timeoutMs: entry.timeoutMs,
    },
    () => workers,
  );
  return {
    task: 'text-generation',
    queueDepth: () => queue.depth,
    async generate(messages, options) {
      const { response, execution } = await queue.submit(
        toGenerateRequest(messages, options, onTokens),
        options.signal,
      );
      return { ...response, execution };
    },
    dispose() {
      queue.close(new ModelError('MODEL_NOT_LOADED', `${entry.id}@${entry.version} was unloaded`));
      return Promise.resolve();
    },
  };
}
