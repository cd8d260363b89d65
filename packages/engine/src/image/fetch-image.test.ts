import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AddressPolicy } from './address-policy.js';
import { fetchImage } from './fetch-image.js';

// The test servers live on loopback, which the default policy refuses: allow exactly them.
const options = {
  maxBytes: 1_000,
  maxPixels: 40_000_000,
  timeoutMs: 500,
  maxRedirects: 2,
  addressPolicy: new AddressPolicy(['127.0.0.1']),
};
let server: Server;
let base: string;
let requests = 0;

beforeAll(async () => {
  server = createServer((request, response) => {
    requests += 1;
    const url = new URL(request.url ?? '/', 'http://x');
    const hops = Number(url.searchParams.get('hops') ?? 0);
    switch (url.pathname) {
      case '/ok':
        response.end(Buffer.alloc(100, 7));
        return;
      case '/redirect':
        response.writeHead(302, { location: hops > 0 ? `/redirect?hops=${hops - 1}` : '/ok' });
        response.end();
        return;
      case '/to-file':
        response.writeHead(301, { location: 'file:///etc/passwd' });
        response.end();
        return;
      case '/declared-large':
        response.writeHead(200, { 'content-length': '5000' });
        response.end(Buffer.alloc(5000));
        return;
      case '/streamed-large':
        response.writeHead(200);
        for (let chunk = 0; chunk < 10; chunk += 1) response.write(Buffer.alloc(500));
        response.end();
        return;
      case '/slow':
        setTimeout(() => response.end('late'), 2_000);
        return;
      default:
        response.writeHead(404);
        response.end();
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe('fetchImage', () => {
  it('downloads the bytes, following a bounded number of redirects', async () => {
    expect(await fetchImage(`${base}/ok`, options)).toHaveLength(100);
    expect(await fetchImage(`${base}/redirect?hops=1`, options)).toHaveLength(100);
  });

  it.each([
    ['too many redirects', '/redirect?hops=5', 'IMAGE_FETCH_FAILED', /more than 2 redirects/],
    ['a redirect to another protocol', '/to-file', 'IMAGE_FETCH_FAILED', /file:/],
    ['an HTTP error', '/missing', 'IMAGE_FETCH_FAILED', /HTTP 404/],
    ['a declared size over the cap', '/declared-large', 'IMAGE_TOO_LARGE', /5000 bytes/],
    ['a streamed size over the cap', '/streamed-large', 'IMAGE_TOO_LARGE', /exceeds 1000/],
    ['a server that does not answer in time', '/slow', 'IMAGE_FETCH_FAILED', /timed out/],
  ])('refuses %s', async (_name, pathname, errorCode, message) => {
    const error = await fetchImage(`${base}${pathname}`, options).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ code: errorCode });
    expect((error as Error).message).toMatch(message);
  });

  it('reports a refused connection', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    await expect(fetchImage(`http://127.0.0.1:${port}/x.png`, options)).rejects.toThrow(
      /connection failed \(ECONNREFUSED\)/,
    );
  });

  it('stops when the caller goes away', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await expect(
      fetchImage(`${base}/slow`, { ...options, timeoutMs: 5_000 }, controller.signal),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});

describe('fetchImage address policy (SSRF)', () => {
  const strict = { ...options, addressPolicy: new AddressPolicy() };

  it.each([
    ['loopback', () => `${base}/ok`],
    ['IPv6 loopback', () => `http://[::1]:${new URL(base).port}/ok`],
    ['a hostname resolving to loopback', () => `http://localhost:${new URL(base).port}/ok`],
  ])('refuses %s before connecting', async (_, url) => {
    const before = requests;
    await expect(fetchImage(url(), strict)).rejects.toMatchObject({
      code: 'IMAGE_FETCH_FAILED',
      message: expect.stringMatching(/refusing to fetch/) as unknown,
    });
    expect(requests).toBe(before);
  });

  it('refuses a redirect to loopback from an allowed host, before following it', async () => {
    // An allowed image host (127.0.0.2, also loopback but allowlisted) redirects to 127.0.0.1.
    const redirector = createServer((_, response) => {
      response.writeHead(302, { location: `${base}/ok` });
      response.end();
    });
    redirector.listen(0, '127.0.0.2');
    await once(redirector, 'listening');
    const port = (redirector.address() as AddressInfo).port;
    const before = requests;
    try {
      await expect(
        fetchImage(`http://127.0.0.2:${port}/image.png`, {
          ...options,
          addressPolicy: new AddressPolicy(['127.0.0.2']),
        }),
      ).rejects.toThrow(/refusing to fetch from 127\.0\.0\.1/);
      expect(requests).toBe(before);
    } finally {
      redirector.close();
    }
  });
});
