import { createClient, type MlrpcClient } from '@mlrpc/client';
import type { Command } from 'commander';
import { readEnv } from './env.js';
import { UsageError } from './usage-error.js';

export interface GlobalOptions {
  url?: string;
  apiKey?: string;
  json?: boolean;
}

/** The server URL from --url, else MLRPC_URL; anything but an http(s) URL is a usage mistake. */
export function serverUrl(options: GlobalOptions): string {
  const url = options.url ?? readEnv().MLRPC_URL;
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new UsageError(
      `${options.url ? '--url' : 'MLRPC_URL'} must be an http(s) URL such as http://127.0.0.1:3000, not "${url}"`,
    );
  }
  return url;
}

/** The client for a command: --url / --api-key, else MLRPC_URL / MLRPC_API_KEY. */
export function connect(command: Command): { client: MlrpcClient; json: boolean } {
  const options = command.optsWithGlobals<GlobalOptions>();
  const url = serverUrl(options);
  const apiKey = options.apiKey ?? readEnv().MLRPC_API_KEY;
  return {
    client: createClient({ url, ...(apiKey ? { apiKey } : {}) }),
    json: options.json ?? false,
  };
}
