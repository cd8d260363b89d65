import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { repositoryRoot, sharedRoot } from './support/paths.js';

describe('the server process', () => {
  it('starts from its env, serves, and exits cleanly on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      ['--conditions=@mlrpc/source', '--import', 'tsx', 'src/main.ts'],
      {
        cwd: path.join(repositoryRoot, 'apps/server'),
        env: {
          // The child needs PATH and friends; this test is the parent, not the app.
          // eslint-disable-next-line no-restricted-syntax
          ...process.env,
          PORT: '0',
          HOST: '127.0.0.1',
          MODELS_CONFIG: path.join(repositoryRoot, 'config/models.local.json'),
          MODELS_DIR: path.join(sharedRoot, 'models'),
          MODELS_OFFLINE: '1',
          LOG_LEVEL: 'info',
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const logs: Array<{ msg?: string; url?: string }> = [];
    const listening = new Promise<string>((resolve, reject) => {
      child.once('exit', (code) =>
        reject(new Error(`server exited with ${code} before listening`)),
      );
      createInterface({ input: child.stdout }).on('line', (line) => {
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        logs.push(entry);
        if (entry.msg === 'mlrpc server listening' && entry.url) resolve(entry.url);
      });
    });
    const url = await listening;
    const live = await fetch(`${url}/health/live`);
    expect(live.status).toBe(200);

    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);
    expect(logs.some((entry) => entry.msg === 'shutting down')).toBe(true);
    await expect(fetch(`${url}/health/live`)).rejects.toThrow();
  });
});
