import { z } from 'zod';
import { errorCodes } from './error-codes.js';

export const errorCodeSchema = z.enum(errorCodes);

/** The `data` part of every error response, as the error formatter fills it in. */
export const errorDataSchema = z.object({
  code: z.string(),
  httpStatus: z.number().int(),
  errorCode: errorCodeSchema,
  requestId: z.string().optional(),
  retryAfterSeconds: z.number().optional(),
  fieldErrors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type ErrorData = z.infer<typeof errorDataSchema>;
