import { readFileSync } from 'node:fs';

/** The server package's version, read once; the same from src (tests) and dist (production). */
export const serverVersion = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;
