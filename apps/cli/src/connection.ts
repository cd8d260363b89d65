import { createClient, type MlrpcClient } from '@mlrpc/client';
import type { Command } from 'commander';
import { readEnv } from './env.js';

export interface GlobalOptions {
  url?: string;
  apiKey?: string;
  json?: boolean;
}

/** The client for a command: --url / --api-key, else MLRPC_URL / MLRPC_API_KEY. */
export function connect(command: Command): { client: MlrpcClient; json: boolean } {
  const options = command.optsWithGlobals<GlobalOptions>();
  const env = readEnv();
  const apiKey = options.apiKey ?? env.MLRPC_API_KEY;
  return {
    client: createClient({ url: options.url ?? env.MLRPC_URL, ...(apiKey ? { apiKey } : {}) }),
    json: options.json ?? false,
  };
}
