import type { ModelEntry } from '../model-config.js';
import type { ExecutionDevice } from '../runtime/load-context.js';
import type { BatchWorker } from './batch-worker.js';

/** A model version loaded somewhere that can run calls: worker threads, a remote server, a fake. */
export interface HostedModel {
  /** What the loaded model said about itself (a tensor model's input specs), for checks and batching. */
  readonly metadata: unknown;
  /** The instances that run calls; the list changes when a crashed one is replaced. */
  instances(): readonly BatchWorker[];
  /** Told when capacity grows (a replacement arrived), so queued work can start. */
  onCapacity(listener: () => void): void;
  dispose(): Promise<void>;
}

export interface HostContext {
  device: ExecutionDevice;
  /** Told about crashed workers and other trouble that does not fail a request. */
  onTrouble?: (message: string) => void;
  /** Resolves `env:NAME` secrets of the config (an upstream's API key); the app supplies it. */
  secret?: (name: string) => string | undefined;
}

/**
 * Where a model version is loaded and run. The engine's default starts worker threads
 * (onnxruntime blocks the thread it runs on); tests pass an in-process host with fake models.
 */
export type ModelHost = (entry: ModelEntry, context: HostContext) => Promise<HostedModel>;
