import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createClient, type MlrpcClient } from '@mlrpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDigitImages } from './support/digit-images.js';
import { digitsRoot, repositoryRoot } from './support/paths.js';
import { narrowPrediction } from './support/narrow-prediction.js';

// `pnpm start` as a newcomer runs it: from the repository root, no MODELS_* settings, an empty
// model cache, nothing from ../shared. The defaults are the models shipped in models/.
let child: ChildProcess;
let client: MlrpcClient;
let cache: string;
beforeAll(async () => {
  cache = await mkdtemp(path.join(tmpdir(), 'mlrpc-first-run-'));
  // The server needs PATH and friends, minus any model settings this test run carries.
  // eslint-disable-next-line no-restricted-syntax
  const inherited = Object.entries(process.env).filter(([name]) => !name.startsWith('MODELS_'));
  child = spawn(process.execPath, ['apps/server/dist/main.js'], {
    cwd: repositoryRoot,
    env: {
      ...Object.fromEntries(inherited),
      PORT: '0',
      HOST: '127.0.0.1',
      MODELS_CACHE_DIR: cache,
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the server exited with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const entry = JSON.parse(line) as { msg?: string; url?: string };
      if (entry.msg === 'mlrpc server listening' && entry.url) resolve(entry.url);
    });
  });
  client = createClient({ url });
  // Readiness waits for the preloaded defaults: a bounded wait on a condition.
  const deadline = Date.now() + 120_000;
  while ((await fetch(`${url}/health/ready`)).status !== 200) {
    if (Date.now() > deadline) throw new Error('the default models did not become ready');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
});
afterAll(async () => {
  if (child.exitCode === null) {
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  }
  await rm(cache, { recursive: true, force: true });
});

describe('first run: the default config serves every task from the shipped models', () => {
  it('embeds with real semantics', async () => {
    const { embeddings, model } = await client.embed.mutate({
      texts: ['dog', 'puppy', 'stock market'],
    });
    expect(model).toBe('wordnet-minilm');
    const cosine = (a: number[], b: number[]) =>
      a.reduce((sum, value, i) => sum + value * (b[i] ?? 0), 0);
    const [dog = [], puppy = [], market = []] = embeddings;
    expect(cosine(dog, puppy)).toBeGreaterThan(cosine(dog, market));
  });

  it('classifies a handwritten digit and an iris flower', async () => {
    const [digit] = await readDigitImages();
    const bytes = await readFile(path.join(digitsRoot, digit?.file ?? ''));
    const image = narrowPrediction(
      await client.predict.mutate({ image: { base64: bytes.toString('base64') } }),
      'image-classification',
    );
    expect(image.model).toBe('digits');
    expect(image.predictions[0]?.label).toBe(digit?.label);
    const flower = narrowPrediction(
      await client.predict.mutate({
        inputs: { features: { dtype: 'float32', dims: [1, 4], data: [5.1, 3.5, 1.4, 0.2] } },
        topK: 1,
      }),
      'tensor',
    );
    expect(flower.predictions?.[0]?.[0]?.label).toBe('setosa');
  });

  it('chats: the dictionary model answers and stops', async () => {
    const answer = await client.chat.complete.mutate({
      messages: [{ role: 'user', content: 'What does teacher mean?' }],
    });
    expect(answer).toMatchObject({
      model: 'wordnet-chat',
      text: 'A person whose occupation is teaching.',
      finishReason: 'stop',
    });
  });
});
