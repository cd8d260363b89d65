import path from 'node:path';
import { env } from '@huggingface/transformers';
import type { RuntimeSettings } from './load-context.js';

/** transformers.js keeps its settings in one global; set them once per thread from our config. */
export function configureTransformersRuntime(settings: RuntimeSettings): void {
  env.allowLocalModels = true;
  env.localModelPath = path.resolve(settings.modelsDir) + path.sep;
  env.cacheDir = path.resolve(settings.cacheDir);
  env.useFSCache = true;
  env.allowRemoteModels = !settings.offline;
}
