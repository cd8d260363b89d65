import path from 'node:path';
import { env } from '@huggingface/transformers';

export interface TransformersRuntimeOptions {
  /** Folder searched first for `<org>/<name>` model folders. */
  modelsDir: string;
  /** Where models downloaded from the hub are cached. */
  cacheDir: string;
  /** Never download: only `modelsDir` and the cache are used. */
  offline: boolean;
}

/** transformers.js keeps its settings in one global; set them once per thread from our config. */
export function configureTransformersRuntime(options: TransformersRuntimeOptions): void {
  env.allowLocalModels = true;
  env.localModelPath = path.resolve(options.modelsDir) + path.sep;
  env.cacheDir = path.resolve(options.cacheDir);
  env.useFSCache = true;
  env.allowRemoteModels = !options.offline;
}
