import path from 'node:path';
import { defineConfig } from 'vitest/config';

/** Workspace packages export their sources under this condition, so tests need no build. */
const sourceConditions = ['@mlrpc/source'];

export default defineConfig({
  resolve: { conditions: sourceConditions },
  ssr: { resolve: { conditions: sourceConditions, externalConditions: sourceConditions } },
  test: {
    globalSetup: [path.resolve(import.meta.dirname, 'global-setup.js')],
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'apps/*/test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // expect.poll waits on a condition; on a busy 2-core machine its 1 s default is a coin toss.
    expect: { poll: { timeout: 30_000, interval: 50 } },
    // Model-heavy end-to-end files share two cores; more workers only thrash.
    maxWorkers: 2,
  },
});
