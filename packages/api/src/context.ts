import type { JobBackend } from '@mlrpc/jobs';
import type { ModelManager } from '@mlrpc/models';
import type { GenerationStore } from './chat/generation-store.js';
import type { ImageFetchOptions } from './image/fetch-image.js';

/** What the server hands every procedure: shared services plus this request's identity. */
export interface ApiDependencies {
  models: ModelManager;
  /** Background jobs (in-process, or on Redis). */
  jobs: JobBackend;
  /** Recent chat generations, so interrupted streams can resume. */
  generations: GenerationStore;
  imageFetch: ImageFetchOptions;
  /** The server's version, reported by health. */
  serverVersion: string;
  startedAt: number;
}

export interface Context extends ApiDependencies {
  requestId: string;
  /** Who is calling: jobs belong to their owner. Every caller is `anonymous` until auth exists. */
  owner: string;
}

/** Builds one request's context; adapters supply the request id they already assigned. */
export function createContext(dependencies: ApiDependencies, requestId: string): Context {
  return { ...dependencies, requestId, owner: 'anonymous' };
}
