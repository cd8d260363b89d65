import { TRPCClientError, type AppRouter } from '@mlrpc/client';
import { expect } from 'vitest';

/** Asserts a call failed the way the API documents: tRPC code, HTTP status and our error code. */
export async function expectApiError(
  call: Promise<unknown>,
  expected: { code: string; httpStatus: number; errorCode: string; message?: RegExp },
): Promise<TRPCClientError<AppRouter>> {
  const error = await call.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TRPCClientError);
  const clientError = error as TRPCClientError<AppRouter>;
  expect(clientError.data).toMatchObject({
    code: expected.code,
    httpStatus: expected.httpStatus,
    errorCode: expected.errorCode,
  });
  expect(clientError.data?.requestId).toBeTruthy();
  if (expected.message) expect(clientError.message).toMatch(expected.message);
  return clientError;
}
