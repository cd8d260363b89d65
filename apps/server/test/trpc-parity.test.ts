import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { appRouter } from '@mlrpc/api';
import { createExpressMiddleware } from '@trpc/server/adapters/express';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessLog } from '../src/access-log.js';
import { contextFor } from '../src/request-context.js';
import { responseHeaders } from '../src/response-headers.js';
import { startTestServer, type TestServer } from './support/test-server.js';

// mlrpc's lean /trpc path against tRPC's own Express adapter over the same services: every
// request below must get the same status, the same Allow and Retry-After headers and the same
// body (request ids aside) from both.
let harness: TestServer;
let reference: { url: string; close(): void };
beforeAll(async () => {
  harness = await startTestServer();
  const app = express();
  app.use(accessLog(harness.server.logger, () => false));
  app.use(
    '/trpc',
    createExpressMiddleware({
      router: appRouter,
      createContext: ({ req, info }) =>
        contextFor(harness.server.dependencies, req, info.connectionParams),
      responseMeta: ({ ctx, errors }) => ({ headers: responseHeaders(ctx, errors) }),
    }),
  );
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  reference = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => server.close(),
  };
});
afterAll(async () => {
  reference.close();
  await harness.close();
});

const envelope = (value: unknown) => ({ json: value });
const query = (value: unknown) => encodeURIComponent(JSON.stringify(value));

/** A response with what a client can observe, request ids left out (each request has its own). */
async function observe(base: string, path: string, init: RequestInit = {}) {
  const response = await fetch(`${base}/trpc/${path}`, init);
  const text = await response.text();
  return {
    status: response.status,
    allow: response.headers.get('allow'),
    retryAfter: response.headers.get('retry-after'),
    // Request ids and timings differ between any two requests; everything else must not.
    body: text
      .replace(/"requestId":"[^"]+"/g, '"requestId":"*"')
      .replace(/"(inferenceTimeMs|queueTimeMs|uptimeSeconds)":[\d.e+-]+/g, '"$1":0'),
  };
}

const post = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

const cases: Array<[string, string, RequestInit?]> = [
  ['a mutation', 'embed', post(envelope({ texts: ['a river'] }))],
  ['a query with its input in the URL', `models.get?input=${query(envelope({ id: 'digits' }))}`],
  ['a query without input', 'health'],
  ['bad input with field paths', 'embed', post(envelope({ texts: ['', 'x'] }))],
  ['an engine error (unknown model)', 'embed', post(envelope({ model: 'nope', texts: ['x'] }))],
  ['an unknown procedure', 'no.such.thing', post(envelope({}))],
  ['a mutation over GET', 'embed'],
  ['a query over POST', 'health', post(envelope(null))],
  ['malformed JSON', 'embed', post('{"json":')],
  [
    'a batch of two mutations',
    'embed,embed?batch=1',
    post({ 0: envelope({ texts: ['a'] }), 1: envelope({ texts: ['b', 'c'] }) }),
  ],
  [
    'a batch of queries over GET',
    `models.get,health?batch=1&input=${query({ 0: envelope({ id: 'iris' }) })}`,
  ],
  [
    'a batch mixing success and failure (207)',
    'embed,embed,no.such?batch=1',
    post({ 0: envelope({ texts: ['a'] }), 1: envelope({ texts: [''] }) }),
  ],
  [
    'a batch whose calls all fail alike',
    'embed,embed?batch=1',
    post({ 0: envelope({ texts: [] }), 1: envelope({ texts: [''] }) }),
  ],
  ['a batch with malformed JSON', 'embed,embed?batch=1', post('{"0":')],
  ['a batch input that is not an object', 'embed,embed?batch=1', post('[1,2]')],
];

describe('the lean /trpc path answers exactly as tRPC’s own adapter', () => {
  it.each(cases)('%s', async (_name, path, init) => {
    // One after the other: calls in flight together would share model batches.
    const lean = await observe(harness.url, path, init);
    const standard = await observe(reference.url, path, init);
    expect(lean).toEqual(standard);
  });
});
