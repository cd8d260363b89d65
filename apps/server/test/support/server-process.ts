import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { repositoryRoot, sharedRoot } from './paths.js';

export interface ServerProcess {
  url: string;
  /** Every JSON log line the server printed so far. */
  logs: Array<{ msg?: string; url?: string }>;
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

/** The server as its own process (from the sources), for tests that must kill or signal it. */
export async function startServerProcess(env: Record<string, string> = {}): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    ['--conditions=@mlrpc/source', '--import', 'tsx', 'src/main.ts'],
    {
      cwd: path.join(repositoryRoot, 'apps/server'),
      env: {
        // The child needs PATH and friends; this test helper is the parent, not the app.
        // eslint-disable-next-line no-restricted-syntax
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        MODELS_CONFIG: path.join(repositoryRoot, 'config/models.local.json'),
        MODELS_DIR: path.join(sharedRoot, 'models'),
        MODELS_OFFLINE: '1',
        LOG_LEVEL: 'info',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const logs: ServerProcess['logs'] = [];
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited with ${code} before listening`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const entry = JSON.parse(line) as { msg?: string; url?: string };
      logs.push(entry);
      if (entry.msg === 'mlrpc server listening' && entry.url) resolve(entry.url);
    });
  });
  return {
    url,
    logs,
    async kill(signal) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      const exited = once(child, 'exit');
      child.kill(signal);
      const [code] = (await exited) as [number | null];
      return code;
    },
  };
}
