import { readFile } from 'node:fs/promises';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser.js';
import { bundleClient } from './support/client-bundle.js';
import { digitsRoot } from './support/paths.js';
import { startTestServer, type TestServer } from './support/test-server.js';

/** A frontend on its own origin: a page that imports the bundled client, served from loopback. */
async function startFrontend(client: string): Promise<{ origin: string; server: Server }> {
  const page = `<!doctype html><meta charset="utf-8"><title>frontend</title>
<script type="module">
import { createClient } from './client.js';
window.demo = async (url, image) => {
  try {
    const client = createClient({ url, retries: 0 });
    const digit = await client.predict.mutate({ image: { base64: image }, topK: 1 });
    // The same image as a File, as an <input type=file> gives it: uploaded as raw bytes.
    const bytes = Uint8Array.from(atob(image), (char) => char.charCodeAt(0));
    const file = new File([bytes], 'seven.png', { type: 'image/png' });
    const upload = await client.predictImage.mutate({ image: file, topK: 1 });
    console.log('classified');
    let text = '';
    for await (const event of client.chatStream({
      messages: [{ role: 'user', content: 'What does kitten mean?' }],
    })) if (event.type === 'delta') text += event.text;
    return { text, label: digit.predictions[0].label, uploaded: upload.predictions[0].label };
  } catch (error) {
    return { error: error.message, network: error.isNetworkError === true };
  }
};
window.demoStream = async (url) => {
  try {
    const client = createClient({ url, retries: 0 });
    for await (const event of client.chatStream({
      messages: [{ role: 'user', content: 'What does kitten mean?' }],
    })) if (event.type === 'end') return { ended: true };
    return { ended: false };
  } catch (error) {
    return { error: error.message, network: error.isNetworkError === true };
  }
};
document.body.dataset.ready = 'true';
</script><body></body>`;
  const server = createServer((request, response) => {
    const [type, body] =
      request.url === '/client.js' ? ['text/javascript', client] : ['text/html', page];
    response.writeHead(200, { 'content-type': type });
    response.end(body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

let browser: Browser;
let frontend: { origin: string; server: Server };
let listed: TestServer;
let unlisted: TestServer;
let bundle: { code: string; inputs: string[] };
beforeAll(async () => {
  bundle = await bundleClient();
  frontend = await startFrontend(bundle.code);
  [listed, unlisted, browser] = await Promise.all([
    startTestServer({ CORS_ORIGINS: `http://example.invalid, ${frontend.origin}` }),
    startTestServer({ CORS_ORIGINS: 'http://example.invalid' }),
    launchBrowser(),
  ]);
});
afterAll(async () => {
  await browser?.close();
  frontend?.server.close();
  await Promise.all([listed?.close(), unlisted?.close()]);
});

describe('CORS (CORS_ORIGINS)', () => {
  it('answers preflights on /trpc, /api and /v1 for listed origins only', async () => {
    const preflight = (url: string, origin: string) =>
      fetch(url, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type, authorization, x-api-key, last-event-id',
        },
      });
    for (const route of ['/trpc/embed', '/api/embed', '/v1/embeddings']) {
      const allowed = await preflight(`${listed.url}${route}`, frontend.origin);
      expect(allowed.status).toBe(204);
      expect(allowed.headers.get('access-control-allow-origin')).toBe(frontend.origin);
      expect(allowed.headers.get('access-control-allow-methods')).toMatch(/POST/);
      expect(allowed.headers.get('access-control-allow-headers')).toMatch(
        /authorization.*x-api-key.*last-event-id/,
      );
      const refused = await preflight(`${unlisted.url}${route}`, frontend.origin);
      expect(refused.status).toBe(204);
      expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    }
    const call = await fetch(`${listed.url}/trpc/embed`, {
      method: 'POST',
      headers: { origin: frontend.origin, 'content-type': 'application/json' },
      body: JSON.stringify({ json: { texts: [] } }),
    });
    expect(call.headers.get('access-control-allow-origin')).toBe(frontend.origin);
    expect(call.headers.get('access-control-expose-headers')).toMatch(/x-request-id.*retry-after/);
  });

  it('lets a page on another origin stream a chat answer and classify an image (base64 and a File upload), and refuses it elsewhere', async () => {
    const image = (await readFile(path.join(digitsRoot, '7/1009.png'))).toString('base64');
    const page = await browser.newPage();
    const messages: string[] = [];
    page.on('console', (message) => messages.push(message.text()));
    page.on('pageerror', (error) => messages.push(error.message));
    try {
      await page.goto(frontend.origin);
      await page
        .locator('body[data-ready=true]')
        .waitFor({ state: 'attached', timeout: 20_000 })
        .catch((error: unknown) => {
          throw new Error(`the page did not start: ${messages.join('\n')}`, { cause: error });
        });
      const run = (url: string) =>
        page.evaluate(
          ([server, digit]) =>
            (window as unknown as { demo: (url: string, image: string) => Promise<object> }).demo(
              server ?? '',
              digit ?? '',
            ),
          [url, image],
        );
      const answer = await Promise.race([
        run(listed.url),
        new Promise((resolve) => setTimeout(() => resolve({ stuck: messages }), 20_000)),
      ]);
      expect(answer).toEqual({ text: 'Young domestic cat.', label: '7', uploaded: '7' });
      // The browser keeps the answer from a page whose origin the server did not list: calls
      // and streams fail as network errors (a stream does not reconnect forever).
      expect(await run(unlisted.url)).toMatchObject({ network: true });
      const stream = (url: string) =>
        page.evaluate(
          (server) =>
            (window as unknown as { demoStream: (url: string) => Promise<object> }).demoStream(
              server,
            ),
          url,
        );
      expect(await stream(listed.url)).toEqual({ ended: true });
      const refused = await Promise.race([
        stream(unlisted.url),
        new Promise((resolve) => setTimeout(() => resolve({ stuck: true }), 20_000)),
      ]);
      expect(refused).toMatchObject({ network: true });
    } finally {
      await page.close();
    }
  });
});

describe('the client in a browser bundle', () => {
  it('createClient + chatStream + waitForJob bundle to at most 40 KB gzipped, without zod', () => {
    const gzipped = gzipSync(bundle.code).length;
    expect(gzipped).toBeLessThanOrEqual(40 * 1024);
    expect(bundle.inputs.filter((input) => /node_modules\/(\.pnpm\/)?zod/.test(input))).toEqual([]);
  });
});
