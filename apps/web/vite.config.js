import process from 'node:process';
import { defineConfig } from 'vite';

/** Where `pnpm --filter @mlrpc/web dev` sends API calls: a server started with `pnpm start`. */
const apiTarget = process.env.MLRPC_URL ?? 'http://127.0.0.1:3000';
const apiPaths = ['/trpc', '/health', '/metrics', '/docs', '/openapi.json', '/api', '/v1'];

export default defineConfig({
  // The server serves the built page at `/`, beside its API routes (same origin, no CORS).
  base: '/',
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, target: 'es2022' },
  server: {
    proxy: Object.fromEntries(apiPaths.map((prefix) => [prefix, { target: apiTarget }])),
  },
});
