import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digitsRoot, repositoryRoot } from './support/paths.js';
import { settledValue } from './support/settled-value.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const bin = path.join(repositoryRoot, 'apps/cli/dist/main.js');
let harness: TestServer;
beforeAll(async () => {
  harness = await startTestServer();
  await harness.client.models.load.mutate({ id: 'llama-random' });
});
afterAll(() => harness.close());

/** Runs the built `mlrpc` binary to the end. */
function mlrpc(
  args: string[],
  options: { input?: string | Buffer; url?: string } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], {
      // The CLI's own settings come from MLRPC_URL, as a user's shell would set it.
      // eslint-disable-next-line no-restricted-syntax
      env: { ...process.env, MLRPC_URL: options.url ?? harness.url },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.end(options.input ?? '');
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the mlrpc CLI (built binary, real server)', () => {
  it('reports health and lists models, as text and as JSON', async () => {
    const health = await mlrpc(['health']);
    expect(health.code).toBe(0);
    expect(health.stdout).toMatch(/^healthy/);
    const models = await mlrpc(['models', 'ls', '--json']);
    const list = JSON.parse(models.stdout) as Array<{ id: string }>;
    expect(list.map((model) => model.id)).toContain('wordnet-minilm');
  });

  it('embeds texts from arguments and from a file on stdin', async () => {
    const fromArgs = JSON.parse((await mlrpc(['embed', 'a fox', 'a dog', '--json'])).stdout) as {
      embeddings: number[][];
    };
    expect(fromArgs.embeddings).toHaveLength(2);
    const fromStdin = await mlrpc(['--json', 'embed', '--file', '-'], {
      input: 'one\n\ntwo\nthree\n',
    });
    expect((JSON.parse(fromStdin.stdout) as { embeddings: number[][] }).embeddings).toHaveLength(3);
  });

  it('classifies a digit image file', async () => {
    const file = path.join(digitsRoot, '3', (await readdir(path.join(digitsRoot, '3')))[0] ?? '');
    const uploads = async () => {
      const metrics = await (await fetch(`${harness.url}/metrics`)).text();
      const line = /mlrpc_requests_total\{procedure="predictImage",code="OK"\} (\d+)/.exec(metrics);
      return Number(line?.[1] ?? 0);
    };
    const before = await uploads();
    const result = await mlrpc(['classify', file, '--json']);
    expect(result.code).toBe(0);
    expect(
      (JSON.parse(result.stdout) as { predictions: Array<{ label: string }> }).predictions[0]
        ?.label,
    ).toBe('3');
    // The file went up as its bytes (the upload procedure), not as base64 in JSON.
    expect(await uploads()).toBe(before + 1);
    const piped = await mlrpc(['classify', '-', '--json'], { input: await readFile(file) });
    expect(piped.code).toBe(0);
    expect(await uploads()).toBe(before + 2);
  });

  it('labels texts, finds entities and reranks documents', async () => {
    const labelled = await mlrpc([
      'classify-text',
      'Subject: FREE CASH!!!\n\nclick here now',
      '--json',
    ]);
    expect(labelled.code).toBe(0);
    const labels = JSON.parse(labelled.stdout) as { kind: string; predictions: unknown[][] };
    expect(labels.kind).toBe('text-classification');
    expect(labels.predictions).toHaveLength(1);

    const masked = await mlrpc(['entities', 'Ann met Bob in Rome', '--mask', '--json']);
    expect(masked.code).toBe(0);
    expect((JSON.parse(masked.stdout) as { maskedTexts: string[] }).maskedTexts).toHaveLength(1);

    const ranked = await mlrpc(['rerank', 'dog', '--file', '-', '--top-n', '2'], {
      input: 'a domestic animal\na place to keep money\na young dog\n',
    });
    expect(ranked.code).toBe(0);
    expect(ranked.stdout.trim().split('\n')).toHaveLength(2);
    expect(ranked.stdout).toMatch(/^ {2}1\. /);
  });

  it('streams a one-shot chat answer', async () => {
    const result = await mlrpc(['chat', 'Define metal.']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toMatch(/^Any of several chemical elements/);
  });

  it('submits a job, follows it with progress, and lists it', async () => {
    const texts = Array.from({ length: 600 }, (_, index) => `sentence number ${index}`).join('\n');
    const submitted = await mlrpc(['jobs', 'submit', 'embed', '--file', '-', '--wait'], {
      input: texts,
    });
    expect(submitted.code).toBe(0);
    expect(submitted.stderr).toMatch(/100%/);
    expect(submitted.stdout).toMatch(/completed 100%\s+600 embeddings of 96/);
    const jobId = submitted.stdout.split(/\s+/)[0] ?? '';
    const listed = JSON.parse((await mlrpc(['jobs', 'ls', '--json'])).stdout) as {
      jobs: Array<{ id: string }>;
    };
    expect(listed.jobs.map((job) => job.id)).toContain(jobId);
  });

  it('exits with meaningful codes and readable errors', async () => {
    const bad = await mlrpc(['embed', ' ']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/INVALID_INPUT/);
    expect(bad.stderr).toMatch(/request id/);
    const json = await mlrpc(['--json', 'jobs', 'watch', 'no-such-job']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stderr)).toMatchObject({ error: { errorCode: 'NOT_FOUND' } });
    const unreachable = await mlrpc(['health'], { url: 'http://127.0.0.1:1' });
    expect(unreachable.code).toBe(3);
    // Which server could not be reached, as the user gave it.
    expect(unreachable.stderr).toMatch(/cannot reach the server at http:\/\/127\.0\.0\.1:1 /);
    expect((await mlrpc(['frobnicate'])).code).toBe(2);
    // A file that is not there is the command line's mistake, not an unreachable server.
    const missing = await mlrpc(['classify', 'no-such-digit.png']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read no-such-digit\.png: no such file/);
    const notUrl = await mlrpc(['--url', 'notaurl', 'health']);
    expect(notUrl.code).toBe(2);
    expect(notUrl.stderr).toMatch(/--url must be an http\(s\) URL .*not "notaurl"/);
    expect(notUrl.stderr).not.toMatch(/trpc|localhost/);
    const version = await mlrpc(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('stops quietly when the reader of its output goes away (mlrpc ... | head)', async () => {
    const texts = Array.from({ length: 200 }, (_, index) => `line ${index}`).join('\n');
    const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve) => {
      const shell = spawn(
        'bash',
        [
          '-c',
          `"${process.execPath}" "${bin}" --json embed --file - | head -c 100 > /dev/null; echo "exit \${PIPESTATUS[0]}"`,
        ],
        // eslint-disable-next-line no-restricted-syntax
        { env: { ...process.env, MLRPC_URL: harness.url } },
      );
      let out = '';
      let err = '';
      shell.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      shell.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      shell.stdin.end(texts);
      shell.on('close', () => resolve({ stdout: out, stderr: err }));
    });
    expect(stdout.trim()).toBe('exit 0');
    expect(stderr).not.toMatch(/EPIPE|Unhandled/);
  });

  it('stops an answer on Ctrl-C in an interactive session, and keeps the session', async () => {
    const cancelled = async () =>
      (await harness.client.models.get.query({ id: 'llama-random' })).models[0]?.stats.cancelled ??
      0;
    const before = await cancelled();
    // `script` gives the CLI a real terminal, so Ctrl-C is a keystroke as a user types it.
    const child = spawn(
      'script',
      [
        '-qfec',
        `${process.execPath} ${bin} chat --model llama-random --max-tokens 4000`,
        '/dev/null',
      ],
      // eslint-disable-next-line no-restricted-syntax
      { env: { ...process.env, MLRPC_URL: harness.url, TERM: 'dumb' } },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const until = async (check: () => boolean) => {
      for (let tries = 0; tries < 400 && !check(); tries += 1) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect(check(), output.slice(-500)).toBe(true);
    };
    await until(() => output.includes('> '));
    child.stdin.write('Go on.\r');
    const typed = output.length;
    await until(() => output.length > typed + 200);
    child.stdin.write('\x03');
    await until(() => output.includes('[stopped]'));
    // The session goes on: a new prompt after the stopped answer.
    await until(() => output.lastIndexOf('> ') > output.indexOf('[stopped]'));
    expect(await settledValue(cancelled)).toBe(before + 1);
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.stdin.write('\x04');
    expect(await exited).toBe(0);
  });
});
