import {
  BullmqJobBackend,
  BullmqJobWorker,
  EmbeddedJobBackend,
  type JobBackend,
  type JobProcessor,
  type JobWorkerEvent,
} from '@mlrpc/jobs';
import { loadModelConfig, ModelManager } from '@mlrpc/models';
import type { EngineSettings } from './engine-settings.js';
import { AddressPolicy } from './image/address-policy.js';
import type { ImageFetchOptions } from './image/fetch-image.js';
import { createJobProcessor } from './jobs/process-job.js';

export interface EngineHooks {
  /** A model misbehaved (failed load, crashed worker...): for the logs. */
  onTrouble: (model: string, message: string) => void;
  /** Resolves `env:NAME` secrets in the model config. */
  secret: (name: string) => string | undefined;
}

export interface Engine {
  models: ModelManager;
  imageFetch: ImageFetchOptions;
  /** Runs one job with the models; what job workers call. */
  processor: JobProcessor;
}

/** The models and job processing as configured; the same for the API server and job workers. */
export async function createEngine(settings: EngineSettings, hooks: EngineHooks): Promise<Engine> {
  const config = await loadModelConfig(settings.MODELS_CONFIG);
  const models = new ModelManager({
    config,
    settings: {
      modelsDir: settings.MODELS_DIR,
      cacheDir: settings.MODELS_CACHE_DIR,
      offline: settings.MODELS_OFFLINE,
      maxImagePixels: settings.IMAGE_MAX_PIXELS,
    },
    loadRetryDelayMs: settings.MODEL_LOAD_RETRY_MS,
    maxLoadedModels: settings.MODELS_MAX_LOADED,
    onTrouble: hooks.onTrouble,
    secret: hooks.secret,
  });
  const imageFetch: ImageFetchOptions = {
    maxBytes: settings.IMAGE_MAX_BYTES,
    maxPixels: settings.IMAGE_MAX_PIXELS,
    timeoutMs: settings.IMAGE_FETCH_TIMEOUT_MS,
    maxRedirects: settings.IMAGE_FETCH_MAX_REDIRECTS,
    addressPolicy: new AddressPolicy(settings.IMAGE_FETCH_ALLOW),
  };
  return { models, imageFetch, processor: createJobProcessor(models, imageFetch) };
}

/** A job worker on the configured Redis; `undefined` without REDIS_URL (nothing to consume). */
export function createJobWorker(
  settings: EngineSettings,
  processor: JobProcessor,
  onEvent: (event: JobWorkerEvent) => void,
): BullmqJobWorker | undefined {
  if (!settings.REDIS_URL) return undefined;
  return new BullmqJobWorker(processor, {
    redisUrl: settings.REDIS_URL,
    prefix: settings.REDIS_PREFIX,
    concurrency: settings.JOBS_CONCURRENCY,
    retentionMs: settings.JOBS_RETENTION_MS,
    lockMs: settings.JOBS_LOCK_MS,
    onEvent,
  });
}

/** Durable jobs on Redis when REDIS_URL is set, in-process ones otherwise. */
export function createJobBackend(settings: EngineSettings, processor: JobProcessor): JobBackend {
  if (settings.REDIS_URL) {
    return new BullmqJobBackend({
      redisUrl: settings.REDIS_URL,
      prefix: settings.REDIS_PREFIX,
      maxQueued: settings.JOBS_MAX_QUEUED,
      retentionMs: settings.JOBS_RETENTION_MS,
      attempts: settings.JOBS_ATTEMPTS,
      backoffMs: settings.JOBS_BACKOFF_MS,
    });
  }
  return new EmbeddedJobBackend(processor, {
    concurrency: settings.JOBS_CONCURRENCY,
    maxQueued: settings.JOBS_MAX_QUEUED,
    maxQueuedBytes: settings.JOBS_MAX_QUEUED_BYTES,
    retentionMs: settings.JOBS_RETENTION_MS,
  });
}
