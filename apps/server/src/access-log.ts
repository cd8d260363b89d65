import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { callsOf } from './request-context.js';
import { assignRequestId } from './request-id.js';

declare module 'node:http' {
  interface IncomingMessage {
    /** The request id (X-Request-ID), set before any route runs. */
    id: string;
    /** A logger whose lines carry this request's id, method and URL. */
    log: Logger;
  }
}

/**
 * Request ids and one access line per response, with the procedure(s), our code, duration and
 * the model that served. The line has pino-http's shape (`req`, `res`, `responseTime`, "request
 * completed") without its two child loggers per request: the request's own logger is made only
 * when something logs through it.
 */
export function accessLog(
  logger: Logger,
  ignore: (path: string) => boolean,
): (request: IncomingMessage, response: ServerResponse, next: () => void) => void {
  return (request, response, next) => {
    const started = performance.now();
    const id = assignRequestId(request, response);
    const url = redactedUrl(request.url ?? '/');
    const requestFields = { id, method: request.method, url };
    request.id = id;
    let requestLogger: Logger | undefined;
    Object.defineProperty(request, 'log', {
      configurable: true,
      get: () => (requestLogger ??= logger.child({ req: requestFields })),
    });
    if (ignore(url.split('?', 1)[0] ?? '/')) {
      next();
      return;
    }
    const done = () => {
      response.off('finish', done);
      response.off('close', done);
      const status = response.statusCode;
      const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      const calls = callsOf(request);
      logger[level](
        {
          req: requestFields,
          res: { statusCode: status },
          responseTime: Math.round(performance.now() - started),
          ...(calls.length === 1 ? calls[0] : calls.length > 1 ? { calls } : {}),
        },
        response.writableFinished
          ? 'request completed'
          : 'connection closed before the response ended',
      );
    };
    response.on('finish', done);
    response.on('close', done);
    next();
  };
}

/** Query parameters that may carry secrets (tRPC's connection params hold an API key). */
const secretParameters = /([?&](?:connectionParams|api_?key|token)=)[^&]*/gi;

/** The URL as logged: secrets in its query string replaced, so keys never reach the logs. */
export function redactedUrl(url: string): string {
  return url.includes('?') ? url.replace(secretParameters, '$1[redacted]') : url;
}
