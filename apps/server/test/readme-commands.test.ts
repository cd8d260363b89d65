import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repositoryRoot } from './support/paths.js';
import { startTestServer, type TestServer } from './support/test-server.js';

/** The README's shell blocks marked `<!-- readme-test: runs -->`, in order. */
async function runnableBlocks(): Promise<Array<{ line: number; script: string }>> {
  const readme = await readFile(path.join(repositoryRoot, 'README.md'), 'utf8');
  const lines = readme.split('\n');
  const blocks: Array<{ line: number; script: string }> = [];
  lines.forEach((text, index) => {
    if (text.trim() !== '<!-- readme-test: runs -->') return;
    const open = lines.findIndex((candidate, at) => at > index && candidate.startsWith('```'));
    const close = lines.findIndex((candidate, at) => at > open && candidate.startsWith('```'));
    expect(lines[open], `the block after README line ${index + 1}`).toBe('```sh');
    blocks.push({ line: open + 1, script: lines.slice(open + 1, close).join('\n') });
  });
  return blocks;
}

let harness: TestServer;
let curlHome: string;
beforeAll(async () => {
  harness = await startTestServer();
  // curl reads this file first: an HTTP error fails the command, as written, without -f in it.
  curlHome = await mkdtemp(path.join(tmpdir(), 'mlrpc-readme-'));
  await writeFile(path.join(curlHome, '.curlrc'), '--fail-with-body\n--max-time 120\n');
});
afterAll(async () => {
  await harness.close();
  await rm(curlHome, { recursive: true, force: true });
});

describe('the README', () => {
  it('has shell blocks whose every command runs as written (against a server on a free port)', async () => {
    const blocks = await runnableBlocks();
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    const { host } = new URL(harness.url);
    for (const block of blocks) {
      // The README's server is on port 3000; this one is wherever the test could put it.
      const script = block.script.replaceAll('127.0.0.1:3000', host);
      const outcome = await new Promise<{ code: number | null; output: string }>((resolve) => {
        const shell = spawn('bash', ['-e', '-o', 'pipefail', '-c', script], {
          cwd: repositoryRoot,
          // The commands need PATH and friends, as a reader's shell has them.
          // eslint-disable-next-line no-restricted-syntax
          env: { ...process.env, CURL_HOME: curlHome, MLRPC_URL: harness.url },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let output = '';
        shell.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
        shell.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
        shell.on('close', (code) => resolve({ code, output }));
      });
      expect(outcome.code, `README line ${block.line}:\n${outcome.output.slice(-2_000)}`).toBe(0);
      expect(outcome.output).not.toMatch(/ELIFECYCLE|"errorCode"/);
    }
  });
});
