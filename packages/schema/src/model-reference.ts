import { z } from 'zod';
import { limits } from './limits.js';

/** A model id as written in the model config: letters, digits and `._-/`, like hub ids. */
export const modelIdSchema = z
  .string()
  .trim()
  .min(1, 'model id must not be blank')
  .max(limits.modelIdMaxLength)
  .regex(/^[A-Za-z0-9][\w.\-/]*$/, 'model id may hold letters, digits and . _ - / only');

export const modelVersionSchema = z
  .string()
  .trim()
  .min(1, 'version must not be blank')
  .max(limits.versionMaxLength);

/** Fields every inference input shares: which model, and optionally which version of it. */
export const modelSelectionShape = {
  model: modelIdSchema.optional(),
  version: modelVersionSchema.optional(),
  /** Same key, same version under A/B routing (a user or session id, say). */
  routingKey: z.string().min(1).max(limits.routingKeyMaxLength).optional(),
};

/** Fields every inference output shares, so a caller always knows what answered and how. */
export const servedByShape = {
  model: z.string(),
  version: z.string(),
  /** Time the model call took, for the whole batch this request rode in. */
  inferenceTimeMs: z.number().nonnegative(),
  /** Time spent waiting in the model's queue before its batch started. */
  queueTimeMs: z.number().nonnegative(),
  /** Items (texts, images, tensor rows) in the model call that served this request. */
  batchSize: z.number().int().positive(),
};
