import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { repositoryRoot, sharedRoot } from './paths.js';

/** The fields tests read from the apps' JSON log lines. */
export interface LogEntry {
  msg?: string;
  url?: string;
  event?: string;
  jobId?: string;
  attempt?: number;
  progress?: number;
  level?: number;
  req?: { id?: string; method?: string; url?: string };
  res?: { statusCode?: number };
  responseTime?: number;
  procedure?: string;
  code?: string;
  model?: string;
  version?: string;
  calls?: Array<{ procedure: string; code: string }>;
}

export interface AppProcess {
  pid: number;
  /** Every JSON log line the process printed so far. */
  logs: LogEntry[];
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

export interface ServerProcess extends AppProcess {
  url: string;
}

const localModels = {
  MODELS_CONFIG: path.join(repositoryRoot, 'config/models.local.json'),
  MODELS_DIR: path.join(sharedRoot, 'models'),
  MODELS_OFFLINE: '1',
  LOG_LEVEL: 'info',
};

/** Spawns an app and resolves once it logs `ready` (with that log line). */
async function startApp(
  command: string[],
  cwd: string,
  env: Record<string, string>,
  ready: string,
): Promise<AppProcess & { readyEntry: LogEntry }> {
  const child = spawn(process.execPath, command, {
    cwd,
    // The child needs PATH and friends; this test helper is the parent, not the app.
    // eslint-disable-next-line no-restricted-syntax
    env: { ...process.env, ...localModels, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const logs: LogEntry[] = [];
  const readyEntry = await new Promise<LogEntry>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${command.at(-1)} exited with ${code}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const entry = JSON.parse(line) as LogEntry;
      logs.push(entry);
      if (entry.msg === ready) resolve(entry);
    });
  });
  return {
    pid: child.pid ?? 0,
    logs,
    readyEntry,
    async kill(signal) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      const exited = once(child, 'exit');
      child.kill(signal);
      const [code] = (await exited) as [number | null];
      return code;
    },
  };
}

/** The server as its own process (from the sources), for tests that must kill or signal it. */
export async function startServerProcess(env: Record<string, string> = {}): Promise<ServerProcess> {
  const app = await startApp(
    ['--conditions=@mlrpc/source', '--import', 'tsx', 'src/main.ts'],
    path.join(repositoryRoot, 'apps/server'),
    { PORT: '0', HOST: '127.0.0.1', ...env },
    'mlrpc server listening',
  );
  return { ...app, url: app.readyEntry.url ?? '' };
}

/** A job worker process (`pnpm worker`, built), consuming jobs from the Redis in `env`. */
export function startWorkerProcess(env: Record<string, string>): Promise<AppProcess> {
  return startApp(
    ['dist/main.js'],
    path.join(repositoryRoot, 'apps/worker'),
    // Several workers run side by side here: no health port each, unless a test gives one.
    { WORKER_PORT: '0', ...env },
    'mlrpc worker consuming jobs',
  );
}
