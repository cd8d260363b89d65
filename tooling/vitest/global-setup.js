import { execFileSync } from 'node:child_process';
import process from 'node:process';
import path from 'node:path';

/**
 * Model workers run the compiled JavaScript (Node 20 applies no TypeScript loader inside worker
 * threads), so tests build the packages first; turbo's cache makes this near-free when unchanged.
 */
export default function buildPackages() {
  execFileSync('pnpm', ['turbo', 'run', 'build', '--output-logs=errors-only'], {
    cwd: path.resolve(import.meta.dirname, '../..'),
    stdio: 'inherit',
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
  });
}
