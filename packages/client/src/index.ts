export type { AppRouter, RouterInputs, RouterOutputs } from '@mlrpc/api';
export {
  errorCodes,
  limits,
  type ChatStreamEvent,
  type ErrorCode,
  type ErrorData,
} from '@mlrpc/schema';
export { chatStream, type ChatStreamOptions } from './chat-stream.js';
export { MlrpcError } from './mlrpc-error.js';
export { waitForJob, type Job, type WaitForJobOptions } from './wait-for-job.js';
export { TRPCClientError } from '@trpc/client';
export {
  createClient,
  type ClientHelpers,
  type ClientOptions,
  type HeaderMap,
  type MlrpcClient,
} from './create-client.js';
