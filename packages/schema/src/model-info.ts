import { z } from 'zod';
import { modelIdSchema, modelVersionSchema } from './model-reference.js';

/** Tasks a model can serve; the names follow the Hugging Face task names, plus raw tensors. */
export const modelTaskSchema = z.enum(['feature-extraction', 'image-classification', 'tensor']);
export type ModelTask = z.infer<typeof modelTaskSchema>;

export const deviceSchema = z.enum(['auto', 'cpu', 'cuda', 'webgpu']);
export type Device = z.infer<typeof deviceSchema>;

export const dtypeSchema = z.enum(['auto', 'fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'q4f16']);
export type Dtype = z.infer<typeof dtypeSchema>;

export const modelStateSchema = z.enum(['unloaded', 'loading', 'ready', 'failed']);
export type ModelState = z.infer<typeof modelStateSchema>;

/** Counters since the model version was configured; they survive unload and reload. */
export const modelStatsSchema = z.object({
  requests: z.number().int(),
  completed: z.number().int(),
  failed: z.number().int(),
  cancelled: z.number().int(),
  timedOut: z.number().int(),
  rejected: z.number().int(),
  batches: z.number().int(),
  items: z.number().int(),
});
export type ModelStats = z.infer<typeof modelStatsSchema>;

export const modelInfoSchema = z.object({
  id: z.string(),
  version: z.string(),
  task: modelTaskSchema,
  source: z.string(),
  dtype: dtypeSchema,
  device: deviceSchema,
  /** The device the model actually runs on once loaded; differs from `device` after a fallback. */
  activeDevice: z.enum(['cpu', 'cuda', 'webgpu']).nullable(),
  deviceNote: z.string().nullable(),
  state: modelStateSchema,
  error: z.string().nullable(),
  isDefaultVersion: z.boolean(),
  isTaskDefault: z.boolean(),
  /** Share of unpinned traffic under A/B routing (0..1), or null when versions are not split. */
  trafficShare: z.number().min(0).max(1).nullable(),
  loadTimeMs: z.number().nullable(),
  instances: z.number().int().positive(),
  maxBatchSize: z.number().int().positive(),
  maxQueueDelayMs: z.number().nonnegative(),
  maxQueueSize: z.number().int().positive(),
  queueDepth: z.number().int().nonnegative(),
  stats: modelStatsSchema,
});
export type ModelInfo = z.infer<typeof modelInfoSchema>;

export const modelsListOutputSchema = z.object({ models: z.array(modelInfoSchema) });
export type ModelsListOutput = z.infer<typeof modelsListOutputSchema>;

export const modelVersionSelectorSchema = z
  .object({ id: modelIdSchema, version: modelVersionSchema.optional() })
  .strict();
export type ModelVersionSelector = z.infer<typeof modelVersionSelectorSchema>;

export const modelsGetInputSchema = z.object({ id: modelIdSchema }).strict();
