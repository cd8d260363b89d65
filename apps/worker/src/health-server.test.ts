import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startHealthServer } from './health-server.js';

describe('worker health probes', () => {
  it('is live while the process answers and ready only while consuming jobs', async () => {
    let consuming = false;
    const server = await startHealthServer(0, '127.0.0.1', () => consuming);
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect((await fetch(`${base}/health/live`)).status).toBe(200);
      expect((await fetch(`${base}/health/ready`)).status).toBe(503);
      consuming = true;
      expect(await (await fetch(`${base}/health/ready`)).json()).toEqual({ status: 'ready' });
      expect((await fetch(`${base}/metrics`)).status).toBe(404);
    } finally {
      server.close();
    }
  });
});
