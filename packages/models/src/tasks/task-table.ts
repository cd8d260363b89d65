import type { ModelTask } from '@mlrpc/schema';
import { featureExtractionTask } from './feature-extraction/feature-extraction-task.js';
import { imageClassificationTask } from './image-classification/image-classification-task.js';
import { rerankTask } from './rerank/rerank-task.js';
import type { AnyTaskDefinition, PredictRoute, TaskDefinition } from './task-definition.js';
import { tensorTask } from './tensor/tensor-task.js';
import { textClassificationTask } from './text-classification/text-classification-task.js';
import { textGenerationTask } from './text-generation/text-generation-task.js';
import { tokenClassificationTask } from './token-classification/token-classification-task.js';

/**
 * Which definition serves which task: one row per task (as transformers.js' SUPPORTED_TASKS).
 * Adding a task is a folder under tasks/, a row here, its schema and its router entry.
 */
export const taskTable = {
  'feature-extraction': featureExtractionTask,
  'image-classification': imageClassificationTask,
  tensor: tensorTask,
  'text-generation': textGenerationTask,
  'text-classification': textClassificationTask,
  'token-classification': tokenClassificationTask,
  rerank: rerankTask,
} satisfies { [Task in ModelTask]: AnyTaskDefinition };

type Row<Task extends ModelTask> = (typeof taskTable)[Task];

/** What a caller passes to run a task. */
export type TaskInput<Task extends ModelTask> =
  Row<Task> extends TaskDefinition<infer Input, infer _R, infer _P, infer _Re, infer _S, infer _O>
    ? Input
    : never;

/** What a task returns to the API. */
export type TaskOutput<Task extends ModelTask> =
  Row<Task> extends TaskDefinition<infer _I, infer _R, infer _P, infer _Re, infer _S, infer Output>
    ? Output
    : never;

/** How `predict` feeds a task, or undefined when the task has its own procedure. */
export function predictRoute(task: ModelTask): PredictRoute<unknown> | undefined {
  return (taskTable[task] as AnyTaskDefinition).predict;
}

/** The tasks `predict` serves, in the order it tries them when no model is named. */
export const predictTasks: readonly ModelTask[] = (Object.keys(taskTable) as ModelTask[]).filter(
  (task) => predictRoute(task) !== undefined,
);
