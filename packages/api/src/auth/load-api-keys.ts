import { readFile } from 'node:fs/promises';
import { apiKeyEntriesSchema, type ApiKeyEntry } from '@mlrpc/schema';
import { ApiKeyRing } from './api-key-ring.js';

function parseEntries(text: string, source: string): ApiKeyEntry[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`${source} is not JSON: expected [{ "id", "sha256", "scopes" }, ...]`);
  }
  const parsed = apiKeyEntriesSchema.safeParse(value);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`${source} is not a valid key list:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/**
 * The API keys from `API_KEYS` (JSON) and/or `API_KEYS_FILE` (path to the same JSON); null when
 * neither names any key, which leaves authentication off.
 */
export async function loadApiKeys(options: {
  json?: string | undefined;
  file?: string | undefined;
}): Promise<ApiKeyRing | null> {
  const entries = [
    ...(options.json ? parseEntries(options.json, 'API_KEYS') : []),
    ...(options.file
      ? parseEntries(await readFile(options.file, 'utf8'), `API_KEYS_FILE ${options.file}`)
      : []),
  ];
  return entries.length > 0 ? new ApiKeyRing(entries) : null;
}
