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
        const tooLarge = (error as { status?: number }).status === 413;
        refuse(
          response,
          request,
          tooLarge
            ? new TRPCError({
                code: 'PAYLOAD_TOO_LARGE',
                message: `request body exceeds ${bodyLimit} bytes`,
              })
            : new TRPCError({ code: 'BAD_REQUEST', message: 'request body is not valid JSON' }),
        );
        return;
      }
      if (nestsDeeperThan(request.body, maxJsonDepth)) {
        const message = `request body nests deeper than ${maxJsonDepth} levels`;
        refuse(response, request, new TRPCError({ code: 'BAD_REQUEST', message }));
        return;
      }
      next();
    });
  };
}
