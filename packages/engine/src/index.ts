export {
  createEngine,
  createJobBackend,
  createJobWorker,
  type Engine,
  type EngineHooks,
} from './create-engine.js';
export {
  engineSettingsShape,
  envFlag,
  envMilliseconds,
  parseSettings,
  type EngineSettings,
} from './engine-settings.js';
export { AddressPolicy } from './image/address-policy.js';
export type { ImageFetchOptions } from './image/fetch-image.js';
export { readImageSource } from './image/read-image-source.js';
export { createJobProcessor } from './jobs/process-job.js';
export { runInParts, type PartsProgress } from './predict/run-in-parts.js';
export { runPredict } from './predict/run-predict.js';
export { stopOnSignals } from './stop-on-signals.js';
