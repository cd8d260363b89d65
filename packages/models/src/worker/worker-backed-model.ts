import type { LoadContext, LoadedModel } from '../backend/model-backend.js';
import type { TransformersRuntimeOptions } from '../backend/transformers-runtime.js';
import { validateTensorInputs } from '../backend/validate-tensor-inputs.js';
import type { BatchCodec } from '../batching/batch-codec.js';
import { BatchQueue } from '../batching/batch-queue.js';
import { classifyCodec } from '../batching/classify-codec.js';
import { embedCodec } from '../batching/embed-codec.js';
import { generateCodec, toGenerateRequest } from '../batching/generate-codec.js';
import { tensorCodec } from '../batching/tensor-codec.js';
import type { ModelEntry } from '../model-config.js';
import { ModelError } from '../model-error.js';
import { WorkerPool } from './worker-pool.js';

export interface WorkerLoadContext extends LoadContext {
  runtime: TransformersRuntimeOptions;
  /** CPU priority of inference threads (Linux nice); the event loop keeps priority 0. */
  niceness?: number;
  /** Told how many tokens generation produced, as they come, for stats. */
  onTokens?: (tokens: number) => void;
  /** Told the size of every batch started, for stats. */
  onBatch?: (items: number) => void;
  onTrouble?: (message: string) => void;
}

/** A model served from worker threads through a batch queue; what the manager holds. */
export type WorkerBackedModel = LoadedModel & { queueDepth(): number };

/**
 * Loads a model into `instances` worker threads and fronts it with a batch queue. The result
 * implements the same interface as an in-process backend, so nothing above this layer changes.
 */
export async function loadInWorkers(
  entry: ModelEntry,
  context: WorkerLoadContext,
): Promise<WorkerBackedModel> {
  const pool = await WorkerPool.start({
    entry,
    device: context.device,
    runtime: context.runtime,
    niceness: context.niceness ?? 19,
  });
  if (context.onTrouble) pool.onTrouble = context.onTrouble;
  const settings = {
    maxBatchSize: entry.maxBatchSize,
    maxQueueDelayMs: entry.maxQueueDelayMs,
    maxQueueSize: entry.maxQueueSize,
    timeoutMs: entry.timeoutMs,
  };
  function front<Request, Response>(codec: BatchCodec<Request, Response>) {
    const queue = new BatchQueue(codec, settings, () => pool.instances, context.onBatch);
    pool.onCapacity = () => queue.pump();
    return {
      submit: (request: Request, signal: AbortSignal | undefined) => queue.submit(request, signal),
      queueDepth: () => queue.depth,
      async dispose() {
        queue.close(
          new ModelError('MODEL_NOT_LOADED', `${entry.id}@${entry.version} was unloaded`),
        );
        await pool.terminate();
      },
    };
  }

  switch (entry.task) {
    case 'feature-extraction': {
      const { submit, ...rest } = front(embedCodec);
      return {
        task: entry.task,
        ...rest,
        async embed(texts, options) {
          const { response, execution } = await submit(texts, options.signal);
          return { ...response, execution };
        },
      };
    }
    case 'image-classification': {
      const { submit, ...rest } = front(classifyCodec);
      return {
        task: entry.task,
        ...rest,
        async classify(images, options) {
          const { response, execution } = await submit(
            { images, topK: options.topK },
            options.signal,
          );
          return { predictions: response, execution };
        },
      };
    }
    case 'text-generation': {
      const { submit, ...rest } = front(generateCodec);
      return {
        task: entry.task,
        ...rest,
        async generate(messages, options) {
          const { response, execution } = await submit(
            toGenerateRequest(messages, options, (tokens) => context.onTokens?.(tokens)),
            options.signal,
          );
          return { ...response, execution };
        },
      };
    }
    case 'tensor': {
      const metadata = pool.instances[0]?.metadata;
      if (!metadata)
        throw new ModelError('MODEL_LOAD_FAILED', 'tensor model worker sent no metadata');
      const { submit, ...rest } = front(tensorCodec(metadata));
      return {
        task: entry.task,
        metadata,
        ...rest,
        async infer(inputs, options) {
          validateTensorInputs(metadata, inputs);
          const { response, execution } = await submit(inputs, options.signal);
          return { outputs: response, execution };
        },
      };
    }
  }
}
