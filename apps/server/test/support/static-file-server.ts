import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface StaticFileServer {
  url: string;
  close(): Promise<void>;
}

/** Serves a folder over loopback HTTP, so image URLs can be tested without the internet. */
export async function startStaticFileServer(root: string): Promise<StaticFileServer> {
  const server = createServer((request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    const file = path.join(root, path.normalize(pathname));
    stat(file).then(
      (info) => {
        if (!file.startsWith(root) || !info.isFile()) throw new Error('not a file');
        response.writeHead(200, { 'content-type': 'image/png', 'content-length': info.size });
        createReadStream(file).pipe(response);
      },
      () => {
        response.writeHead(404);
        response.end();
      },
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
