import type { IncomingMessage } from 'node:http';
import { errorCodeOf } from '@mlrpc/api';
import { getTRPCErrorFromUnknown, TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import express, { type RequestHandler, type Response } from 'express';
import { maxJsonDepth, nestsDeeperThan } from './json-depth.js';
import { discardRestOfBody } from './refused-body.js';
import { isFormUpload, readUploadForm, type UploadLimits } from './upload-form.js';

function refuse(response: Response, request: IncomingMessage, error: TRPCError) {
  const status = getHTTPStatusCodeFromError(error);
  discardRestOfBody(request, response);
  response.status(status).json({
    message: error.message,
    code: error.code,
    data: {
      code: error.code,
      httpStatus: status,
      errorCode: errorCodeOf(error),
      requestId: (request as IncomingMessage & { id?: string }).id,
    },
  });
}

function refusal(status: 400 | 413, message: string): TRPCError {
  return new TRPCError({ code: status === 413 ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST', message });
}

/**
 * Parses the bodies of the REST routes before trpc-to-openapi sees them (it takes a parsed body
 * as is): JSON, refused when not JSON, too large or nested too deep; and form uploads
 * (`curl -F image=@cat.png`), read as they stream in with the upload limits.
 */
export function restBody(uploadLimits: UploadLimits): RequestHandler {
  const { bodyLimit } = uploadLimits;
  const parse = express.json({ limit: bodyLimit, strict: false });
  return (request, response, next) => {
    if (request.method === 'POST' && isFormUpload(request)) {
      readUploadForm(request, uploadLimits).then(
        (fields) => {
          request.body = fields;
          // trpc-to-openapi takes only JSON bodies; this one is parsed already, into fields.
          request.headers['content-type'] = 'application/json';
          next();
        },
        (error: unknown) => refuse(response, request, getTRPCErrorFromUnknown(error)),
      );
      return;
    }
    parse(request, response, (error?: unknown) => {
      if (error) {
        const status = (error as { status?: number }).status === 413 ? 413 : 400;
        refuse(
          response,
          request,
          refusal(
            status,
            status === 413
              ? `request body exceeds ${bodyLimit} bytes`
              : 'request body is not valid JSON',
          ),
        );
        return;
      }
      if (nestsDeeperThan(request.body, maxJsonDepth)) {
        refuse(
          response,
          request,
          refusal(400, `request body nests deeper than ${maxJsonDepth} levels`),
        );
        return;
      }
      next();
    });
  };
}
