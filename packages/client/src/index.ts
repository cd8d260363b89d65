export type { AppRouter, RouterInputs, RouterOutputs } from '@mlrpc/api';
// Runtime values from the zod-free entry: zod stays out of browser bundles.
export { errorCodes, limits, type ErrorCode } from '@mlrpc/schema/constants';
export type { ChatStreamEvent, ErrorData } from '@mlrpc/schema';
export { chatStream, type ChatStreamOptions } from './chat-stream.js';
export { MlrpcError } from './mlrpc-error.js';
export { waitForJob, type Job, type WaitForJobOptions } from './wait-for-job.js';
export { TRPCClientError } from '@trpc/client';
export { mlrpcLinks } from './mlrpc-links.js';
export {
  createClient,
  type ClientHelpers,
  type ClientOptions,
  type HeaderMap,
  type MlrpcClient,
} from './create-client.js';
