import { createClient } from '@mlrpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type LogEntry, type ServerProcess } from './support/server-process.js';

let server: ServerProcess;
beforeAll(async () => {
  server = await startServerProcess({ MODELS_PRELOAD: '0' });
});
afterAll(() => server.kill('SIGTERM'));

const iris = {
  model: 'iris',
  inputs: { features: { dtype: 'float32' as const, dims: [1, 4], data: [5.1, 3.5, 1.4, 0.2] } },
};

/** The access line of one request, once the server has written it. */
async function accessLine(requestId: string): Promise<LogEntry> {
  await expect.poll(() => server.logs.some((entry) => entry.req?.id === requestId)).toBe(true);
  const lines = server.logs.filter((entry) => entry.req?.id === requestId);
  expect(lines).toHaveLength(1);
  return lines[0] as LogEntry;
}

function post(path: string, requestId: string, body: unknown): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': requestId },
    body: JSON.stringify(body),
  });
}

describe('the access log', () => {
  it('writes one line per request: id, method, URL, status, time, procedure, code and model', async () => {
    const response = await post('/trpc/predict', 'log-predict', { json: iris });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('log-predict');
    const line = await accessLine('log-predict');
    expect(line).toMatchObject({
      level: 30,
      msg: 'request completed',
      req: { id: 'log-predict', method: 'POST', url: '/trpc/predict' },
      res: { statusCode: 200 },
      procedure: 'predict',
      code: 'OK',
      model: 'iris',
      version: '1',
    });
    expect(line.responseTime).toBeGreaterThanOrEqual(0);
  });

  it('logs refused calls as warnings with our error code', async () => {
    expect((await post('/trpc/embed', 'log-bad', { json: { texts: [' '] } })).status).toBe(400);
    expect(await accessLine('log-bad')).toMatchObject({
      level: 40,
      res: { statusCode: 400 },
      procedure: 'embed',
      code: 'INVALID_INPUT',
    });
  });

  it('lists every call of a batch', async () => {
    const client = createClient({
      url: server.url,
      headers: { 'x-request-id': 'log-batch' },
    });
    await Promise.all([client.health.query(), client.models.list.query()]);
    const line = await accessLine('log-batch');
    expect(line.calls?.map((call) => call.procedure).sort()).toEqual(['health', 'models.list']);
  });

  it('leaves probes and scrapes out', async () => {
    for (const path of ['/health', '/health/live', '/health/ready', '/metrics']) {
      await fetch(`${server.url}${path}`, { headers: { 'x-request-id': `log-probe${path}` } });
    }
    await fetch(`${server.url}/nowhere`, { headers: { 'x-request-id': 'log-after-probes' } });
    expect((await accessLine('log-after-probes')).res?.statusCode).toBe(404);
    expect(server.logs.some((entry) => entry.req?.id?.startsWith('log-probe'))).toBe(false);
  });
});
