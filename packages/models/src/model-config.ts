import { readFile } from 'node:fs/promises';
import {
  deviceSchema,
  dtypeSchema,
  modelIdSchema,
  modelTaskSchema,
  type ModelTask,
} from '@mlrpc/schema';
import { z } from 'zod';
import type { AnyTaskDefinition } from './tasks/task-definition.js';
import { taskTable } from './tasks/task-table.js';

/** Whether a model of `served` may be `task`'s default (reranking by an embedding model). */
function canServe(task: ModelTask, served: ModelTask): boolean {
  return task === served || (taskTable[task] as AnyTaskDefinition).bridge?.task === served;
}

export const modelEntrySchema = z
  .object({
    id: modelIdSchema,
    version: z.string().trim().min(1).max(64).default('1'),
    task: modelTaskSchema,
    /** A hub id (`Xenova/all-MiniLM-L6-v2`) or a folder under the models directory (`local/x`). */
    source: z.string().trim().min(1),
    dtype: dtypeSchema.default('fp32'),
    device: deviceSchema.default('auto'),
    /** Marks the version served when a request names none; the first listed otherwise. */
    default: z.boolean().default(false),
    /** Sentence embeddings: how token vectors become one vector. */
    pooling: z.enum(['mean', 'cls', 'none']).default('mean'),
    normalize: z.boolean().default(true),
    /** Worker threads, each with its own copy of the model (Triton's instance count). */
    instances: z.number().int().min(1).max(64).default(1),
    /** Most items (texts, images, tensor rows) in one model call; 1 turns batching off. */
    maxBatchSize: z.number().int().min(1).max(4096).default(32),
    /**
     * Text models: most padded tokens (rows x longest row) in one model execution. A batch is
     * sorted by length and run as groups under this budget, so long texts do not pad short ones.
     */
    maxBatchTokens: z.number().int().min(1).max(1_048_576).default(16_384),
    /** How long a partly filled batch may wait for more requests while an instance is idle. */
    maxQueueDelayMs: z.number().min(0).max(10_000).default(0),
    /** Requests waiting beyond this are refused with QUEUE_FULL and a Retry-After hint. */
    maxQueueSize: z.number().int().min(1).max(1_000_000).default(256),
    /** Deadline of every request, queueing included. */
    timeoutMs: z.number().int().min(1).max(3_600_000).default(30_000),
    /** Share of unpinned traffic under A/B routing, relative to the other versions' weights. */
    weight: z.number().min(0).optional(),
    /**
     * A task default is loaded at start-up (MODELS_PRELOAD) and readiness waits for it; false
     * leaves it to load on its first call (a big hub model not every deployment uses).
     */
    preload: z.boolean().default(true),
    /** Run one dummy inference after loading, so the first caller does not pay for lazy init. */
    warmUp: z.boolean().default(true),
    /** onnxruntime intra-op threads per instance; its default uses every core. */
    threads: z.number().int().min(1).max(256).optional(),
    /**
     * Let onnxruntime's idle threads spin-wait for the next call: about a millisecond less per
     * lone call, paid for with busy cores. Off by default, since the same cores answer HTTP; worth
     * it on workers with cores to spare.
     */
    spinWait: z.boolean().default(false),
    /** `local` runs the model here; `openai-compatible` fronts a remote server's /v1 API. */
    provider: z.enum(['local', 'openai-compatible']).default('local'),
    /** Upstream models: the API base URL, e.g. `https://api.example.com/v1`. */
    baseURL: z.url({ protocol: /^https?$/ }).optional(),
    /** Upstream models: the API key, or `env:NAME` to read it from the server's environment. */
    apiKey: z.string().optional(),
    /** Upstream models: the model name the upstream knows (defaults to `source`). */
    remoteModel: z.string().optional(),
    /** Tensor models: the ONNX file inside the source folder. */
    file: z.string().min(1).default('model.onnx'),
    /** Tensor models: map one output's columns to class names, giving top-k predictions per row. */
    labels: z
      .object({
        output: z.string().min(1),
        names: z.array(z.string()).optional(),
        /** A JSON file in the source folder: an array of names, or `{ "labels": [...] }`. */
        file: z.string().optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine(
    (entry) =>
      entry.provider === 'local' ||
      (entry.baseURL !== undefined && entry.task === 'text-generation'),
    {
      message: 'an openai-compatible model needs baseURL and serves text-generation',
      path: ['provider'],
    },
  );
export type ModelEntry = z.infer<typeof modelEntrySchema>;

export const modelConfigSchema = z
  .object({
    $schema: z.string().optional(),
    /** Task -> model id used when a request names no model. */
    defaults: z.partialRecord(modelTaskSchema, modelIdSchema).default({}),
    models: z.array(modelEntrySchema),
  })
  .strict()
  .superRefine((config, context) => {
    const seen = new Set<string>();
    for (const [index, entry] of config.models.entries()) {
      const key = `${entry.id}@${entry.version}`;
      if (seen.has(key)) {
        context.addIssue({
          code: 'custom',
          path: ['models', index],
          message: `${key} is listed twice`,
        });
      }
      seen.add(key);
    }
    for (const [task, id] of Object.entries(config.defaults)) {
      const entries = config.models.filter((entry) => entry.id === id);
      if (entries.length === 0) {
        context.addIssue({
          code: 'custom',
          path: ['defaults', task],
          message: `default model "${id}" is not in models`,
        });
      } else if (entries.some((entry) => !canServe(task as ModelTask, entry.task))) {
        context.addIssue({
          code: 'custom',
          path: ['defaults', task],
          message: `default model "${id}" does not serve ${task}`,
        });
      }
    }
  });
export type ModelConfig = z.infer<typeof modelConfigSchema>;

/** Reads and validates the model config file, failing with a message that names the bad field. */
export async function loadModelConfig(path: string): Promise<ModelConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read model config ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`model config ${path} is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const parsed = modelConfigSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(`model config ${path} is invalid:\n${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}
