import path from 'node:path';
import { startTestServer, type TestServer } from './test-server.js';

/** A server with the engine fixture: a batching embedder, slow models with tiny queues, iris, an A/B pair. */
export function startEngineServer(env: Record<string, string> = {}): Promise<TestServer> {
  return startTestServer({
    MODELS_CONFIG: path.join(import.meta.dirname, '../fixtures/models.engine.json'),
    ...env,
  });
}

/** Long texts that keep the MiniLM-sized model busy for a good second per call. */
export function heavyTexts(count = 256): string[] {
  const sentence =
    'the quick brown fox jumps over the lazy dog while the river keeps flowing to the sea ';
  return Array.from({ length: count }, (_, index) => `${index} ${sentence.repeat(8)}`);
}
