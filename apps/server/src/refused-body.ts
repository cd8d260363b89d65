import type { IncomingMessage, ServerResponse } from 'node:http';

/** Bytes of a refused body read and dropped so its sender can read the answer; past it, the connection is cut. */
const maxDiscardedBytes = 64 * 1024 * 1024;

/**
 * After a body was refused part-way (too large, malformed), a client still sending it would
 * see the connection reset instead of the 413/400 (fetch reports "fetch failed"): the rest of
 * the body is read and dropped, never kept, up to 64 MiB, so the answer reaches it and the
 * connection stays usable. A body declared or found larger than that gets the answer with
 * `Connection: close` and is cut off.
 */
export function discardRestOfBody(request: IncomingMessage, response: ServerResponse): void {
  if (request.complete) return;
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxDiscardedBytes) {
    response.setHeader('connection', 'close');
    return;
  }
  let discarded = 0;
  request.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > maxDiscardedBytes) request.socket.destroy();
  });
  request.resume();
}
