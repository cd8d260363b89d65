import path from 'node:path';
import { createClient, type MlrpcClient } from '@mlrpc/client';
import { parseEnv } from '../../src/env.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { repositoryRoot, sharedRoot } from './paths.js';

export interface TestServer {
  server: RunningServer;
  client: MlrpcClient;
  url: string;
  close(): Promise<void>;
}

/** Starts the real server on a free loopback port with the local models, and a typed client for it. */
export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const server = await startServer(
    parseEnv({
      PORT: '0',
      HOST: '127.0.0.1',
      MODELS_CONFIG: path.join(repositoryRoot, 'config/models.local.json'),
      MODELS_DIR: path.join(sharedRoot, 'models'),
      MODELS_OFFLINE: '1',
      LOG_LEVEL: 'silent',
      ...env,
    }),
  );
  await server.warmUp;
  return {
    server,
    url: server.url,
    client: createClient({ url: server.url }),
    close: () => server.close(),
  };
}
