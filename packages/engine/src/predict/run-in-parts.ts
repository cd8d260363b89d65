import {
  ModelError,
  taskTable,
  type ModelManager,
  type RunOptions,
  type TaskInput,
  type TaskOutput,
  type TaskParts,
} from '@mlrpc/models';
import { limits, type ModelTask } from '@mlrpc/schema';

export interface PartsProgress {
  /** 0..1, after each part. */
  reportProgress: (progress: number) => void;
  /** Items per part; the job part size by default. */
  partSize?: number;
}

/**
 * Runs a big input of a task that can be cut into parts (texts, documents) as parts of
 * `partSize`, the next one queued while the current one runs so the model never idles between
 * them, reporting progress per part and joining the outputs. Inputs that fit one part, and tasks
 * with no parts, run as one call.
 */
export async function runInParts<Task extends ModelTask>(
  models: ModelManager,
  task: Task,
  input: TaskInput<Task> & RunOptions,
  progress: PartsProgress,
): Promise<TaskOutput<Task>> {
  const { parts } = taskTable[task] as { parts?: TaskParts<unknown, unknown> };
  const size = progress.partSize ?? limits.jobEmbedBatchSize;
  const count = parts?.count(input) ?? 1;
  if (!parts || count <= size) {
    const output = await models.run(task, input);
    progress.reportProgress(1);
    return output;
  }
  // Every part runs on the version the first would get, so A/B routing cannot split one job.
  const pinned = models.pin(task, input);
  const part = (start: number) => {
    const running = models.run(task, {
      ...(parts.slice(input, start, Math.min(count, start + size)) as object),
      ...pinned,
      signal: input.signal,
    } as TaskInput<Task> & RunOptions);
    running.catch(() => undefined); // awaited below; this only keeps an early failure handled
    return running;
  };
  const outputs: Array<TaskOutput<Task>> = [];
  let next = part(0);
  for (let start = 0; start < count; start += size) {
    const current = next;
    if (start + size < count) next = part(start + size);
    outputs.push(await current);
    progress.reportProgress(Math.min(count, start + size) / count);
  }
  if (outputs.length === 0) throw new ModelError('INVALID_INPUT', 'the input holds no items');
  return parts.join(outputs, input) as TaskOutput<Task>;
}
