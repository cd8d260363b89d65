import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from '@mlrpc/client';
import {
  concurrentGeneration,
  generatedTokens,
  rawGeneration,
  serverGeneration,
  streamCounts,
  type ConcurrentRun,
} from './chat-bench.js';
import { constrainedGeneration, constrainedModes } from './constrained-bench.js';
import { rawEmbedThroughput, serverEmbedThroughput } from './embed-bench.js';
import { livenessUnderLoad } from './health-bench.js';
import { bigJobSeconds, jobsOnRedis } from './jobs-bench.js';
import { startTestRedis } from '@mlrpc/jobs/testing';
import {
  imageModel,
  photoJpeg,
  rawImageClassification,
  requestBytes,
  serverImageClassification,
} from './image-bench.js';
import { irisInput, irisThroughput, sampleProbabilities, type IrisTarget } from './iris-bench.js';
import { httpLoad } from './load.js';
import { readFloatInitializers } from './onnx-initializers.js';
import { irisModel, modelsDir, repositoryRoot } from './paths.js';
import { renderReport, type BenchResults } from './report.js';
import { readChatPrompts, readLemmasAndGlosses, readSentences } from './sentences.js';
import { repeat } from './statistics.js';
import {
  rawRerank,
  rawTextClassification,
  readMessages,
  serverRerank,
  serverTextClassification,
} from './text-tasks-bench.js';
import {
  freePort,
  residentMemoryMiB,
  startService,
  type ServiceProcess,
} from './service-process.js';

const runs = 3;
const startedAt = new Date();
const log = (message: string) =>
  console.log(`[bench ${((Date.now() - startedAt.getTime()) / 1000).toFixed(0)}s] ${message}`);

function hasFastApi(): boolean {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import fastapi, uvicorn, numpy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const benchKey = 'bench-key-0123456789abcdef';

/** The server as tests and defaults run it, or with production middleware switched on too. */
async function startMlrpc(
  production = false,
  extraEnv: Record<string, string> = {},
): Promise<ServiceProcess> {
  const productionEnv: Record<string, string> = production
    ? {
        API_KEYS: JSON.stringify([
          {
            id: 'bench',
            sha256: createHash('sha256').update(benchKey).digest('hex'),
            scopes: ['admin'],
          },
        ]),
        // Counted and checked on every call, never reached.
        RATE_LIMITS: 'default=1000000000/minute',
      }
    : {};
  return startService({
    command: process.execPath,
    args: [path.join(repositoryRoot, 'apps/server/dist/main.js')],
    env: {
      PORT: '0',
      MODELS_CONFIG: path.join(repositoryRoot, 'apps/bench/models.bench.json'),
      MODELS_DIR: modelsDir,
      MODELS_OFFLINE: '1',
      LOG_LEVEL: 'info',
      ...productionEnv,
      ...extraEnv,
    },
    readyUrl: (line) =>
      line.includes('mlrpc server listening')
        ? (JSON.parse(line) as { url: string }).url
        : undefined,
  });
}

async function startFastApi(): Promise<ServiceProcess> {
  const folder = await mkdtemp(path.join(tmpdir(), 'mlrpc-bench-'));
  const weights = path.join(folder, 'iris-weights.json');
  await writeFile(weights, JSON.stringify(await readFloatInitializers(irisModel)));
  const port = await freePort();
  return startService({
    command: '/usr/bin/python3',
    args: [
      '-m',
      'uvicorn',
      'iris_app:app',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--workers',
      '1',
    ],
    cwd: path.join(repositoryRoot, 'apps/bench/python'),
    env: { IRIS_WEIGHTS: weights },
    readyUrl: (line) => (line.includes('Uvicorn running') ? `http://127.0.0.1:${port}` : undefined),
  });
}

const sentences = await readSentences();
log('raw in-process embedding ceiling');
const rawEmbed = await rawEmbedThroughput(sentences, runs, 3);
log('raw in-process generation');
const rawChat = await rawGeneration(5);
const messages = await readMessages();
const { lemmas, glosses } = await readLemmasAndGlosses();
log('raw in-process text classification and reranking');
const rawClassification = await rawTextClassification(messages, runs, 3);
const rawPairs = await rawRerank(lemmas, glosses, runs, 3);
log('raw in-process image classification');
const photo = await photoJpeg();
const rawImages = await rawImageClassification(photo, runs, 3);

log('starting the mlrpc server');
const mlrpc = await startMlrpc();
const client = createClient({ url: mlrpc.url });
await client.models.load.mutate({ id: 'minilm-batched' });
await client.models.load.mutate({ id: 'minilm-unbatched' });
await client.models.load.mutate({ id: 'iris' });

log('warm-up (20,000 requests), then memory over 10,000 more');
const irisUrl = `${mlrpc.url}/trpc/predict`;
// V8 sizes its heaps over the first ~10k requests; steady state is what a long-running server sees.
await httpLoad({ url: irisUrl, body: { json: irisInput }, connections: 32, amount: 20_000 });
await Promise.all(sentences.slice(0, 200).map((text) => client.embed.mutate({ texts: [text] })));
const afterWarmUpMiB = await residentMemoryMiB(mlrpc.pid);
await httpLoad({ url: irisUrl, body: { json: irisInput }, connections: 32, amount: 10_000 });
const afterRequestsMiB = await residentMemoryMiB(mlrpc.pid);

log('embedding through the server, batching on and off');
const batchedEmbed = await serverEmbedThroughput(mlrpc.url, 'minilm-batched', sentences, runs, 4);
const unbatchedEmbed = await serverEmbedThroughput(
  mlrpc.url,
  'minilm-unbatched',
  sentences,
  runs,
  4,
);

log('streaming chat through the server');
await client.models.load.mutate({ id: 'llama-random' });
const serverChat = await serverGeneration(mlrpc.url, 5);

log(
  'streaming chat with its events written to Redis (REDIS_URL), alternating with the server without',
);
const chatRedis = await startTestRedis();
const replica = await startMlrpc(false, { REDIS_URL: chatRedis.url });
await createClient({ url: replica.url }).models.load.mutate({ id: 'llama-random' });
const chatStore: BenchResults['chatStore'] = { memory: [], redis: [] };
// Alternating runs, so both servers see the same machine state.
for (let run = 0; run < 5; run += 1) {
  chatStore.memory.push(...(await serverGeneration(mlrpc.url, 1)));
  chatStore.redis.push(...(await serverGeneration(replica.url, 1)));
}
await replica.stop();
await chatRedis.stop();

log('chat under concurrency: 1 to 16 streams on llama-random and wordnet-chat');
await client.models.load.mutate({ id: 'wordnet-chat' });
const chatPrompts = await readChatPrompts();
const chatConcurrency: Record<string, Record<number, ConcurrentRun[]>> = {};
for (const [model, prompts, maxTokens] of [
  ['llama-random', ['Tell me about rivers.'], generatedTokens],
  ['wordnet-chat', chatPrompts, 64],
] as const) {
  const byStreams: Record<number, ConcurrentRun[]> = {};
  for (const streams of streamCounts) {
    await concurrentGeneration(mlrpc.url, model, [...prompts], maxTokens, streams, 1);
    byStreams[streams] = await repeat(runs, () =>
      concurrentGeneration(mlrpc.url, model, [...prompts], maxTokens, streams, 4),
    );
  }
  chatConcurrency[model] = byStreams;
}

log('constrained decoding: tokens/s with and without a JSON schema');
const constrained: BenchResults['constrained'] = { modes: {}, firstCallMs: {} };
for (const mode of constrainedModes) {
  const measured = await constrainedGeneration(mlrpc.url, mode, generatedTokens, 5);
  constrained.modes[mode] = measured.runs;
  constrained.firstCallMs[mode] = measured.firstCallMs;
}

log('text classification and reranking through the server');
await client.models.load.mutate({ id: 'spam' });
await client.models.load.mutate({ id: 'wordnet-reranker' });
const serverClassification = await serverTextClassification(mlrpc.url, messages, runs, 4);
const serverPairs = await serverRerank(mlrpc.url, lemmas, glosses, runs, 4);

log('image classification through the server: uploads and base64');
await client.models.load.mutate({ id: imageModel.id });
const images: BenchResults['images'] = {
  photoBytes: photo.length,
  requestBytes: await requestBytes(photo),
  raw: rawImages,
  server: await serverImageClassification(mlrpc.url, photo, runs, 4),
};

log('liveness under load');
const liveness = await livenessUnderLoad(mlrpc.url, 6);

log('iris: mlrpc, raw node:http, FastAPI');
const raw = await startService({
  command: process.execPath,
  args: [path.join(repositoryRoot, 'apps/bench/dist/raw-iris-server.js'), irisModel],
  readyUrl: (line) => /^listening (\S+)/.exec(line)?.[1],
});
const fastapi = hasFastApi() ? await startFastApi() : undefined;
const production = await startMlrpc(true);
await createClient({ url: production.url, apiKey: benchKey }).models.load.mutate({ id: 'iris' });
const targets: IrisTarget[] = [
  {
    name: 'mlrpc: tRPC on Express 5, request ids + JSON access logs + metrics, model in a worker thread',
    url: irisUrl,
    body: { json: irisInput },
  },
  {
    name: 'mlrpc in production: the same plus API-key auth and per-key rate limiting',
    url: `${production.url}/trpc/predict`,
    body: { json: irisInput },
    headers: { authorization: `Bearer ${benchKey}` },
  },
  {
    name: 'raw node:http + zod + onnxruntime on the event loop',
    url: `${raw.url}/`,
    body: irisInput,
  },
  ...(fastapi
    ? [
        {
          name: 'FastAPI 0.92 + uvicorn 0.17 (1 worker, access log on), numpy',
          url: `${fastapi.url}/predict`,
          body: irisInput,
        },
      ]
    : []),
];
const samples = await Promise.all(targets.map((target) => sampleProbabilities(target)));
const reference = samples[0] ?? [];
const irisCheck = samples.every(
  (sample) =>
    sample.length === 3 &&
    sample.every((value, index) => Math.abs(value - (reference[index] ?? 0)) < 1e-5),
)
  ? `every server returns the same probabilities for the sample row (${reference.map((value) => value.toFixed(4)).join(', ')})`
  : `MISMATCH between servers: ${JSON.stringify(samples)}`;
const iris = [];
for (const target of targets)
  iris.push({ name: target.name, results: await irisThroughput(target, runs, 5) });
if (!fastapi) {
  iris.push({
    name: 'FastAPI: not installed (apt-get install python3-fastapi python3-uvicorn python3-numpy)',
    results: [],
  });
}

log('a 10,000-sentence embed job in the server (embedded job backend)');
const embeddedBigJob: number[] = [];
for (let run = 0; run < runs; run += 1) embeddedBigJob.push(await bigJobSeconds(client, sentences));

await Promise.all([mlrpc.stop(), production.stop(), raw.stop(), fastapi?.stop()]);

log('jobs on Redis: 1,000 small jobs and a 10,000-sentence job across 2 worker processes');
const redisJobs = await jobsOnRedis(sentences, runs);
const jobs = {
  ...redisJobs,
  bigJobSeconds: { redis: redisJobs.bigJobSeconds, embedded: embeddedBigJob },
};

const results: BenchResults = {
  startedAt,
  durationSeconds: (Date.now() - startedAt.getTime()) / 1000,
  runs,
  rawEmbed,
  batchedEmbed: batchedEmbed.results,
  unbatchedEmbed: unbatchedEmbed.results,
  meanBatch: batchedEmbed.meanBatch,
  iris,
  irisCheck,
  liveness,
  rawChat,
  serverChat,
  chatStore,
  memory: { afterWarmUpMiB, afterRequestsMiB, requests: 10_000 },
  jobs,
  chatConcurrency,
  constrained,
  textTasks: {
    rawClassification,
    serverClassification,
    rawRerank: rawPairs,
    serverRerank: serverPairs,
  },
  images,
};
await writeFile(path.join(repositoryRoot, 'BENCHMARKS.md'), renderReport(results));
log('wrote BENCHMARKS.md');
console.log(renderReport(results));
