import { MlrpcError } from '@mlrpc/client';

/** One readable line for a failed call: what went wrong, what to do, and the id to look up. */
export function errorMessage(error: unknown): string {
  const failure = MlrpcError.from(error);
  if (failure.isNetworkError) return `Cannot reach the server: ${failure.message}`;
  const hints: string[] = [];
  if (failure.errorCode === 'UNAUTHORIZED') hints.push('enter an API key at the top of the page');
  if (failure.errorCode === 'FORBIDDEN') hints.push('this API key lacks the scope for it');
  if (failure.retryAfterSeconds !== undefined) {
    hints.push(`try again in ${failure.retryAfterSeconds} s`);
  }
  const fields = failure.fieldErrors.map((field) => `${field.path}: ${field.message}`);
  const details = [...fields, ...hints].join('; ');
  const reference = failure.requestId
    ? ` [${failure.errorCode}, request ${failure.requestId}]`
    : '';
  return `${fields.length > 0 ? 'Invalid input' : failure.message}${details ? ` (${details})` : ''}${reference}`;
}
