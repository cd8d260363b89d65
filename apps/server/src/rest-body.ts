import type { IncomingMessage } from 'node:http';
import express, { type RequestHandler, type Response } from 'express';
import { maxJsonDepth, nestsDeeperThan } from './json-depth.js';

function refuse(response: Response, request: IncomingMessage, status: number, message: string) {
  const code = status === 413 ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST';
  response.status(status).json({
    message,
    code,
    data: {
      code,
      httpStatus: status,
      errorCode: status === 413 ? 'PAYLOAD_TOO_LARGE' : 'INVALID_INPUT',
      requestId: (request as IncomingMessage & { id?: string }).id,
    },
  });
}

/**
 * Parses JSON bodies of the REST routes before trpc-to-openapi sees them (it takes a parsed
 * body as is), refusing in its error shape what is not JSON, too large or nested too deep.
 */
export function restBody(bodyLimit: number): RequestHandler {
  const parse = express.json({ limit: bodyLimit, strict: false });
  return (request, response, next) => {
    parse(request, response, (error?: unknown) => {
      if (error) {
        const status = (error as { status?: number }).status ?? 400;
        refuse(
          response,
          request,
          status === 413 ? 413 : 400,
          status === 413
            ? `request body exceeds ${bodyLimit} bytes`
            : 'request body is not valid JSON',
        );
        return;
      }
      if (nestsDeeperThan(request.body, maxJsonDepth)) {
        refuse(response, request, 400, `request body nests deeper than ${maxJsonDepth} levels`);
        return;
      }
      next();
    });
  };
}
