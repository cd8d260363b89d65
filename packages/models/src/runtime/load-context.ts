/** The devices a backend can actually run on (`auto` is resolved before a backend sees it). */
export type ExecutionDevice = 'cpu' | 'cuda' | 'webgpu';

/** Settings every model thread gets, whatever its task. */
export interface RuntimeSettings {
  /** Folder searched first for `<org>/<name>` model folders. */
  modelsDir: string;
  /** Where models downloaded from the hub are cached. */
  cacheDir: string;
  /** Never download: only `modelsDir` and the cache are used. */
  offline: boolean;
  /** Images with more pixels are refused before they are decoded. */
  maxImagePixels: number;
}

/** What a backend is told when it loads a model. */
export interface LoadContext {
  device: ExecutionDevice;
  settings: RuntimeSettings;
}
