import {
  ModelError,
  predictRoute,
  predictTasks,
  type ModelManager,
  type RunOptions,
  type TaskInput,
} from '@mlrpc/models';
import type { ModelTask, PredictOutput, PredictRequest } from '@mlrpc/schema';
import type { ImageFetchOptions } from '../image/fetch-image.js';
import { readImageSource } from '../image/read-image-source.js';
import { runInParts, type PartsProgress } from './run-in-parts.js';

/**
 * One predict call, for the live procedure and for jobs alike: the model named (or the default
 * of the first task whose input this is) decides the task, whose table row turns the input into
 * its own (fetching an image by URL, say). Jobs pass `progress`: big inputs then run in parts.
 */
export async function runPredict(
  models: ModelManager,
  imageFetch: ImageFetchOptions,
  input: PredictRequest,
  signal: AbortSignal | undefined,
  progress?: PartsProgress,
): Promise<PredictOutput> {
  const fitting = predictTasks.filter(
    (task) => predictRoute(task)?.accepts(input) && (input.task ?? task) === task,
  );
  if (fitting.length === 0) {
    throw new ModelError(
      input.task ? 'TASK_MISMATCH' : 'INVALID_INPUT',
      input.task
        ? `predict serves no ${input.task} for this input`
        : 'give an image, named input tensors or texts',
    );
  }
  const task: ModelTask = models.resolveTask(input.model, fitting);
  if (!fitting.includes(task)) {
    const serves = predictTasks.includes(task) ? 'other input' : 'no predict input';
    throw new ModelError(
      'TASK_MISMATCH',
      `model "${input.model}" serves ${task}, which takes ${serves}; this input is for ${fitting.join(' or ')}`,
    );
  }
  const taskInput = await predictRoute(task)?.toInput(input, {
    readImage: (source) => readImageSource(source, imageFetch, signal),
  });
  const selection = { model: input.model, version: input.version, routingKey: input.routingKey };
  const run = { ...(taskInput as object), ...selection, signal } as TaskInput<typeof task> &
    RunOptions;
  const output = progress
    ? await runInParts(models, task, run, progress)
    : await models.run(task, run);
  return output as PredictOutput;
}
