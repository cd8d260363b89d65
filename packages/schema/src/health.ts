import { z } from 'zod';
import { modelStateSchema, modelTaskSchema } from './model-info.js';

export const healthStatusSchema = z.enum(['healthy', 'degraded', 'unhealthy']);
export type HealthStatus = z.infer<typeof healthStatusSchema>;

export const modelHealthSchema = z.object({
  id: z.string(),
  version: z.string(),
  task: modelTaskSchema,
  state: modelStateSchema,
  loaded: z.boolean(),
  ready: z.boolean(),
  device: z.string().nullable(),
  error: z.string().nullable(),
});

export const healthOutputSchema = z.object({
  status: healthStatusSchema,
  version: z.string(),
  uptimeSeconds: z.number().nonnegative(),
  gpuAvailable: z.boolean(),
  models: z.array(modelHealthSchema),
});
export type HealthOutput = z.infer<typeof healthOutputSchema>;
