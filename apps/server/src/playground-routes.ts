import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import express, { Router } from 'express';

/**
 * The built playground (`@mlrpc/web`'s dist), found through Node's package resolution so it is
 * the same in the repository and in a deployed image; undefined when it was never built.
 */
export function playgroundDirectory(): string | undefined {
  try {
    const manifest = createRequire(import.meta.url).resolve('@mlrpc/web/package.json');
    const directory = path.join(path.dirname(manifest), 'dist');
    return existsSync(path.join(directory, 'index.html')) ? directory : undefined;
  } catch {
    return undefined;
  }
}

/** The page may talk to this server only, and runs no inline script. */
const contentSecurityPolicy = [
  "default-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The playground at `/` and its hashed assets under `/assets` (cached for good, since a new build
 * gets new names); nothing else, so it cannot shadow the API, health, metrics or docs routes.
 */
export function playgroundRoutes(directory: string): Router {
  const router = Router();
  router.use(
    '/assets',
    express.static(path.join(directory, 'assets'), {
      immutable: true,
      maxAge: '365d',
      index: false,
    }),
  );
  router.get(['/', '/index.html'], (_request, response) => {
    response
      .set({ 'cache-control': 'no-cache', 'content-security-policy': contentSecurityPolicy })
      // Relative to a root: the resolved path may pass through pnpm's `.pnpm` folder, and send
      // refuses dot segments in the part of a path it is handed to check.
      .sendFile('index.html', { root: directory });
  });
  return router;
}
