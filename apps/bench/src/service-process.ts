import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { inheritedEnvironment } from './env.js';

export interface ServiceProcess {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** A free loopback port, for servers that cannot be told to pick one (uvicorn). */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

/**
 * Starts a server process and resolves once one of its output lines names the URL it listens
 * on; the rest of its output (access logs) is drained and discarded.
 */
export async function startService(options: {
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
  readyUrl: (line: string) => string | undefined;
  timeoutMs?: number;
}): Promise<ServiceProcess> {
  const child: ChildProcess = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: { ...inheritedEnvironment(), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${options.command} did not start`)),
      options.timeoutMs ?? 60_000,
    );
    const lines: string[] = [];
    const watch = (stream: NodeJS.ReadableStream) =>
      createInterface({ input: stream }).on('line', (line) => {
        lines.push(line);
        const found = options.readyUrl(line);
        if (found) {
          clearTimeout(timer);
          resolve(found);
        }
      });
    if (child.stdout) watch(child.stdout);
    if (child.stderr) watch(child.stderr);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${options.command} exited with ${code}:\n${lines.slice(-20).join('\n')}`));
    });
  });
  return {
    url,
    pid: child.pid ?? 0,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Resident memory of a process, in MiB, from /proc (Linux). */
export async function residentMemoryMiB(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kilobytes = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kilobytes / 1024;
}
