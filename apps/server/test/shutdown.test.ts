import { describe, expect, it } from 'vitest';
import { startServerProcess } from './support/server-process.js';

describe('the server process', () => {
  it('starts from its env, serves, and exits cleanly on SIGTERM', async () => {
    const server = await startServerProcess();
    const live = await fetch(`${server.url}/health/live`);
    expect(live.status).toBe(200);
    expect(await server.kill('SIGTERM')).toBe(0);
    expect(server.logs.some((entry) => entry.msg === 'shutting down')).toBe(true);
    await expect(fetch(`${server.url}/health/live`)).rejects.toThrow();
  });
});
