import type { ModelEntry } from '../model-config.js';
import { ModelError } from '../model-error.js';
import type { AnyTaskDefinition } from '../tasks/task-definition.js';
import { BatchQueue, type Served } from './batch-queue.js';
import type { HostedModel } from './model-host.js';

/** A loaded model version as the manager holds it: a queue in front of its instances. */
export interface ServedModel {
  readonly metadata: unknown;
  submit(request: unknown, signal: AbortSignal | undefined): Promise<Served<unknown>>;
  queueDepth(): number;
  /** Calls running now on its instances. */
  running(): number;
  dispose(): Promise<void>;
}

export interface ServingStats {
  /** Told the size of every batch started. */
  onBatch: (items: number) => void;
  /** Told how many tokens generation produced, as they come. */
  onTokens: (tokens: number) => void;
}

/** Fronts a hosted model with its task's batch queue; unloading fails what still waits. */
export function serveOnQueue(
  definition: AnyTaskDefinition,
  entry: ModelEntry,
  hosted: HostedModel,
  stats: ServingStats,
): ServedModel {
  const codec = definition.codec(hosted.metadata, { onTokens: stats.onTokens });
  const queue = new BatchQueue(
    codec,
    {
      maxBatchSize: entry.maxBatchSize,
      maxQueueDelayMs: entry.maxQueueDelayMs,
      maxQueueSize: entry.maxQueueSize,
      timeoutMs: entry.timeoutMs,
    },
    () => hosted.instances(),
    stats.onBatch,
  );
  hosted.onCapacity(() => queue.pump());
  return {
    metadata: hosted.metadata,
    submit: (request, signal) => queue.submit(request, signal),
    queueDepth: () => queue.depth,
    running: () => hosted.instances().reduce((sum, instance) => sum + instance.running, 0),
    async dispose() {
      queue.close(new ModelError('MODEL_NOT_LOADED', `${entry.id}@${entry.version} was unloaded`));
      await hosted.dispose();
    },
  };
}
