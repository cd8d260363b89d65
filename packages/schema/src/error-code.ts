import { z } from 'zod';

/** Our error codes: stable strings a caller can switch on, finer than the tRPC/HTTP code. */
export const errorCodes = [
  'INVALID_INPUT',
  'INVALID_IMAGE',
  'IMAGE_TOO_LARGE',
  'IMAGE_FETCH_FAILED',
  'MODEL_NOT_FOUND',
  'VERSION_NOT_FOUND',
  'TASK_MISMATCH',
  'MODEL_NOT_LOADED',
  'MODEL_LOAD_FAILED',
  'INFERENCE_FAILED',
  'QUEUE_FULL',
  'TIMEOUT',
  'CANCELLED',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'RATE_LIMITED',
  'NOT_FOUND',
  'PAYLOAD_TOO_LARGE',
  'SHUTTING_DOWN',
  'BACKEND_UNAVAILABLE',
  'UPSTREAM_FAILED',
  'INTERNAL_ERROR',
] as const;

export const errorCodeSchema = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

/** The tRPC error codes mlrpc uses; kept here as plain strings so the schema stays free of tRPC. */
export type TrpcErrorCodeName =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'TIMEOUT'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNPROCESSABLE_CONTENT'
  | 'TOO_MANY_REQUESTS'
  | 'CLIENT_CLOSED_REQUEST'
  | 'INTERNAL_SERVER_ERROR'
  | 'BAD_GATEWAY'
  | 'SERVICE_UNAVAILABLE';

/** One table decides the transport code of every error, so server, docs and client agree. */
export const trpcCodeForErrorCode: Record<ErrorCode, TrpcErrorCodeName> = {
  INVALID_INPUT: 'BAD_REQUEST',
  INVALID_IMAGE: 'UNPROCESSABLE_CONTENT',
  IMAGE_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  IMAGE_FETCH_FAILED: 'BAD_REQUEST',
  MODEL_NOT_FOUND: 'NOT_FOUND',
  VERSION_NOT_FOUND: 'NOT_FOUND',
  TASK_MISMATCH: 'BAD_REQUEST',
  MODEL_NOT_LOADED: 'SERVICE_UNAVAILABLE',
  MODEL_LOAD_FAILED: 'SERVICE_UNAVAILABLE',
  INFERENCE_FAILED: 'INTERNAL_SERVER_ERROR',
  QUEUE_FULL: 'TOO_MANY_REQUESTS',
  TIMEOUT: 'TIMEOUT',
  CANCELLED: 'CLIENT_CLOSED_REQUEST',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  RATE_LIMITED: 'TOO_MANY_REQUESTS',
  NOT_FOUND: 'NOT_FOUND',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  SHUTTING_DOWN: 'SERVICE_UNAVAILABLE',
  BACKEND_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  UPSTREAM_FAILED: 'BAD_GATEWAY',
  INTERNAL_ERROR: 'INTERNAL_SERVER_ERROR',
};

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
