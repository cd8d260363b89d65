import { once } from 'node:events';
import { createServer, type Server } from 'node:http';

/**
 * Liveness and readiness for orchestrators (the worker has no other HTTP face):
 * `/health/live` while the process answers, `/health/ready` while it is consuming jobs.
 */
export async function startHealthServer(
  port: number,
  host: string,
  isReady: () => boolean,
): Promise<Server> {
  const server = createServer((request, response) => {
    const ready = isReady();
    const [status, body] =
      request.url === '/health/live'
        ? [200, { status: 'alive' }]
        : request.url === '/health/ready'
          ? [ready ? 200 : 503, { status: ready ? 'ready' : 'not-ready' }]
          : [404, { error: { code: 'NOT_FOUND', message: 'try /health/live or /health/ready' } }];
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  });
  server.listen(port, host);
  await once(server, 'listening');
  return server;
}
