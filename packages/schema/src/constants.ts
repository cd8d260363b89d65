/**
 * The schema's runtime values a frontend needs, without zod (which is most of a browser bundle):
 * `import { limits, errorCodes } from '@mlrpc/schema/constants'`.
 */
export { limits } from './limits.js';
export {
  errorCodes,
  trpcCodeForErrorCode,
  type ErrorCode,
  type TrpcErrorCodeName,
} from './error-codes.js';
