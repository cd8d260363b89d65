import type { RuntimeSettings } from '../runtime/load-context.js';
import type { ModelHost } from '../serving/model-host.js';
import { taskTable } from '../tasks/task-table.js';
import { WorkerPool } from './worker-pool.js';

/**
 * The default host: each model version in `instances` worker threads, since onnxruntime blocks
 * the thread it runs on and the HTTP thread must keep answering. Inference threads run at a
 * lower CPU priority (`niceness`), inherited by onnxruntime's own pool.
 */
export function workerThreadHost(settings: RuntimeSettings, niceness = 19): ModelHost {
  return async (entry, context) => {
    const capacity = taskTable[entry.task].concurrency?.(entry) ?? 1;
    const pool = await WorkerPool.start(
      { entry, device: context.device, settings, niceness },
      capacity,
    );
    if (context.onTrouble) pool.onTrouble = context.onTrouble;
    return pool;
  };
}
