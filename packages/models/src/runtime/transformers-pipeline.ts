import { existsSync } from 'node:fs';
import path from 'node:path';
import { env, pipeline, type PipelineType } from '@huggingface/transformers';
import type { ModelEntry } from '../model-config.js';
import type { LoadContext } from './load-context.js';
import { onnxSessionOptions } from './onnx-session-options.js';

let loadQueue: Promise<unknown> = Promise.resolve();

function isLocalFolder(source: string): boolean {
  return (
    typeof env.localModelPath === 'string' &&
    existsSync(path.join(env.localModelPath, source, 'config.json'))
  );
}

/**
 * Creates a transformers.js pipeline for one config entry. A source that is a folder under the
 * models directory loads from there alone: transformers.js 4.3 probes the hub for optional files
 * (tokenizer_config.json, even for image models) whatever `local_files_only` says, which fails
 * offline. Remote access is a process-wide switch, so loads run one at a time.
 */
export function loadPipeline(
  task: PipelineType,
  entry: ModelEntry,
  context: LoadContext,
): Promise<unknown> {
  const localOnly = isLocalFolder(entry.source);
  // `local/...` names this project's own models, which no hub has: a missing folder is a
  // misspelled source or a MODELS_DIR pointing elsewhere, not a download problem.
  if (!localOnly && entry.source.startsWith('local/')) {
    return Promise.reject(
      new Error(
        `no model folder "${entry.source}" (with a config.json) under MODELS_DIR: ` +
          'check the source for typos, or point MODELS_DIR at the folder that holds it',
      ),
    );
  }
  const load = async () => {
    const allowRemote = env.allowRemoteModels;
    if (localOnly) env.allowRemoteModels = false;
    try {
      return await pipeline(task, entry.source, {
        device: context.device,
        ...(localOnly ? { local_files_only: true } : {}),
        ...(entry.dtype === 'auto' ? {} : { dtype: entry.dtype }),
        session_options: onnxSessionOptions(entry),
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (!/fetch failed|ENOTFOUND|EAI_AGAIN|ECONNREFUSED/.test(message)) throw error;
      throw new Error(
        `could not download ${entry.source} from the Hugging Face hub (${message}); ` +
          'on a machine without internet, point MODELS_DIR at a folder that holds it',
        { cause: error },
      );
    } finally {
      env.allowRemoteModels = allowRemote;
    }
  };
  const result = loadQueue.then(load);
  loadQueue = result.catch(() => undefined);
  return result;
}
