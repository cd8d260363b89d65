import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digitsRoot, repositoryRoot } from './support/paths.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const run = promisify(execFile);
const fixtures = path.join(repositoryRoot, 'apps/server/test/fixtures/client-package');

/** Runs a command in the consumer project; its output on failure, for the assertion message. */
async function inProject(project: string, command: string, args: string[]) {
  try {
    const { stdout } = await run(command, args, {
      cwd: project,
      maxBuffer: 16 * 1024 * 1024,
      // npm and tsc need PATH and friends, as in the user's shell.
      // eslint-disable-next-line no-restricted-syntax
      env: { ...process.env, npm_config_update_notifier: 'false' },
    });
    return { ok: true, output: stdout };
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string; message: string };
    return { ok: false, output: `${failure.stdout ?? ''}${failure.stderr ?? failure.message}` };
  }
}

const tsconfig = (files: string[], options: Record<string, unknown>) =>
  JSON.stringify({
    compilerOptions: {
      target: 'es2022',
      module: 'nodenext',
      moduleResolution: 'nodenext',
      strict: true,
      lib: ['esnext', 'dom'],
      types: ['node'],
      ...options,
    },
    files,
  });

let harness: TestServer;
let root: string;
/** A plain TypeScript project (tRPC ^11 as npm resolves it) and a React Query one. */
const projects = { plain: '', react: '' };
const installed: Record<keyof typeof projects, { ok: boolean; output: string }> = {
  plain: { ok: false, output: '' },
  react: { ok: false, output: '' },
};
beforeAll(async () => {
  harness = await startTestServer();
  // Frontends' own projects, outside this workspace: nothing links back into it.
  root = await mkdtemp(path.join(tmpdir(), 'mlrpc-consumer-'));
  const packed = await inProject(repositoryRoot, 'pnpm', [
    '--filter',
    '@mlrpc/client',
    'pack',
    '--pack-destination',
    root,
  ]);
  expect(packed.ok, packed.output).toBe(true);
  const tarball = path.join(
    root,
    (await readdir(root)).find((file) => file.endsWith('.tgz')) ?? '',
  );
  const dependencies = {
    plain: ['@trpc/client@^11', '@trpc/server@^11'],
    // tRPC's React adapter pins its own tRPC version: the client's ^11 peer range takes it.
    react: [
      '@trpc/client@11.22.1',
      '@trpc/server@11.22.1',
      '@trpc/tanstack-react-query@11.22.1',
      '@tanstack/react-query@^5',
      'react@^19',
      '@types/react@^19',
    ],
  };
  for (const kind of ['plain', 'react'] as const) {
    const project = path.join(root, kind);
    projects[kind] = project;
    await mkdir(project);
    await writeFile(
      path.join(project, 'package.json'),
      JSON.stringify({ name: `consumer-${kind}`, private: true, type: 'module' }),
    );
    for (const file of await readdir(fixtures)) {
      await copyFile(path.join(fixtures, file), path.join(project, file.replace(/\.txt$/, '')));
    }
    installed[kind] = await inProject(project, 'npm', [
      'install',
      '--no-audit',
      '--no-fund',
      tarball,
      ...dependencies[kind],
      '@types/node@^20',
      'typescript@~5.9.3',
    ]);
  }
}, 300_000);
afterAll(async () => {
  await harness?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('the packed client, installed with npm in a project of its own', () => {
  it('installs alone: no workspace packages, one shared copy of tRPC', async () => {
    for (const kind of ['plain', 'react'] as const) {
      expect(installed[kind].ok, installed[kind].output).toBe(true);
      const tree = await inProject(projects[kind], 'npm', ['ls', '--all', '--json']);
      expect(tree.output).not.toMatch(/"@mlrpc\/(api|schema|models)"/);
      const copies = await inProject(projects[kind], 'npm', [
        'ls',
        '@trpc/client',
        '--all',
        '--parseable',
      ]);
      expect(new Set(copies.output.trim().split('\n')).size).toBe(1);
    }
  });

  it('flags every misuse in the consumer’s tsc, with skipLibCheck on and off', async () => {
    // Each misuse sits under @ts-expect-error: one the compiler does not flag fails the build.
    for (const skipLibCheck of [true, false]) {
      await writeFile(
        path.join(projects.plain, 'tsconfig.json'),
        tsconfig(['misuse.ts'], { noEmit: true, skipLibCheck }),
      );
      const checked = await inProject(projects.plain, 'npx', ['tsc', '-p', '.']);
      expect(checked.ok, `skipLibCheck ${skipLibCheck}:\n${checked.output}`).toBe(true);
    }
  });

  it('builds a React Query client from mlrpcLinks that type-checks', async () => {
    await writeFile(
      path.join(projects.react, 'tsconfig.json'),
      tsconfig(['react-query.ts'], { noEmit: true, skipLibCheck: true }),
    );
    const checked = await inProject(projects.react, 'npx', ['tsc', '-p', '.']);
    expect(checked.ok, checked.output).toBe(true);
  });

  it('compiles a correct program and runs it against a live server', async () => {
    await writeFile(
      path.join(projects.plain, 'tsconfig.json'),
      tsconfig(['correct.ts'], { outDir: 'out', skipLibCheck: false }),
    );
    const compiled = await inProject(projects.plain, 'npx', ['tsc', '-p', '.']);
    expect(compiled.ok, compiled.output).toBe(true);
    const ran = await inProject(projects.plain, process.execPath, [
      'out/correct.js',
      harness.url,
      path.join(digitsRoot, '7/1009.png'),
    ]);
    expect(ran.ok, ran.output).toBe(true);
    expect(JSON.parse(ran.output)).toEqual({
      rows: 2,
      dimension: 96,
      text: 'Young domestic cat.',
      label: '7',
      errorCode: 'MODEL_NOT_FOUND',
    });
  });
});
