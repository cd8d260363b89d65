import OpenAI from 'openai';
import type { ModelEntry } from '../../../model-config.js';
import { ModelError } from '../../../model-error.js';
import type { HostContext, HostedModel } from '../../../serving/model-host.js';
import { UpstreamChatClient } from './upstream-chat-client.js';
import { upstreamError } from './upstream-error.js';

/**
 * A text-generation model served by a remote OpenAI-compatible server: `instances` slots of
 * concurrency on it, behind the same queue as local models. Loading checks that the upstream
 * answers and knows the model, so a bad URL or key fails at load, not at the first call.
 */
export async function loadUpstreamChat(
  entry: ModelEntry,
  context: HostContext,
): Promise<HostedModel> {
  const apiKey = entry.apiKey?.startsWith('env:')
    ? context.secret?.(entry.apiKey.slice(4))
    : entry.apiKey;
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
    throw new ModelError('MODEL_LOAD_FAILED', upstreamError(error).message, {
      cause: error,
    });
  }
  const workers = Array.from(
    { length: entry.instances },
    () => new UpstreamChatClient(client, remoteModel, entry.timeoutMs),
  );
  return {
    metadata: undefined,
    instances: () => workers,
    onCapacity: () => undefined,
    dispose: () => Promise.resolve(),
  };
}
