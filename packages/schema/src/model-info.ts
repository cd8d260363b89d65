import { z } from 'zod';

/** Tasks a model can serve; the names follow the Hugging Face task names. */
export const modelTaskSchema = z.enum(['feature-extraction', 'image-classification']);
export type ModelTask = z.infer<typeof modelTaskSchema>;

export const deviceSchema = z.enum(['auto', 'cpu', 'cuda', 'webgpu']);
export type Device = z.infer<typeof deviceSchema>;

export const dtypeSchema = z.enum(['auto', 'fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'q4f16']);
export type Dtype = z.infer<typeof dtypeSchema>;

export const modelStateSchema = z.enum(['unloaded', 'loading', 'ready', 'failed']);
export type ModelState = z.infer<typeof modelStateSchema>;

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
  loadTimeMs: z.number().nullable(),
});
export type ModelInfo = z.infer<typeof modelInfoSchema>;

export const modelsListOutputSchema = z.object({ models: z.array(modelInfoSchema) });
export type ModelsListOutput = z.infer<typeof modelsListOutputSchema>;
