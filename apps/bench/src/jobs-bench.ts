import path from 'node:path';
import { createClient, type MlrpcClient } from '@mlrpc/client';
import { startTestRedis } from '@mlrpc/jobs/testing';
import { modelsDir, repositoryRoot } from './paths.js';
import { startService, type ServiceProcess } from './service-process.js';

export interface JobsResults {
  /** 1,000 one-sentence embed jobs through Redis and 2 worker processes: jobs/s per run. */
  jobsPerSecond: number[];
  /** One 10,000-sentence embed job, submit to completed (seconds per run), by backend. */
  bigJobSeconds: { redis: number[]; embedded: number[] };
  workers: number;
  workerConcurrency: number;
}

export const smallJobs = 1_000;
export const bigJobTexts = 10_000;
const workerCount = 2;
const workerConcurrency = 8;

/** Submits `count` one-sentence jobs and waits until all completed; returns jobs/s. */
async function smallJobsPerSecond(client: MlrpcClient, sentences: string[]): Promise<number> {
  const started = performance.now();
  const pending = new Set<string>();
  for (let start = 0; start < smallJobs; start += 100) {
    const jobs = await Promise.all(
      Array.from({ length: 100 }, (_, index) =>
        client.jobs.submit.mutate({
          kind: 'embed',
          input: { texts: [sentences[(start + index) % sentences.length] ?? 'text'] },
        }),
      ),
    );
    for (const job of jobs) pending.add(job.id);
  }
  while (pending.size > 0) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const jobs = await Promise.all([...pending].map((jobId) => client.jobs.get.query({ jobId })));
    for (const job of jobs) {
      if (job.status === 'completed') pending.delete(job.id);
      else if (job.status !== 'queued' && job.status !== 'running')
        throw new Error(`job ${job.id} ended ${job.status}`);
    }
  }
  return smallJobs / ((performance.now() - started) / 1000);
}

/** One job of 10,000 sentences, watched to completion; returns seconds from submit. */
export async function bigJobSeconds(client: MlrpcClient, sentences: string[]): Promise<number> {
  const texts = Array.from(
    { length: bigJobTexts },
    (_, index) => sentences[index % sentences.length] ?? '',
  );
  const started = performance.now();
  const job = await client.jobs.submit.mutate({ kind: 'embed', input: { texts } });
  await new Promise<void>((resolve, reject) => {
    const subscription = client.jobs.watch.subscribe(
      { jobId: job.id },
      {
        onData: ({ data }) => {
          if (data.status === 'completed') {
            subscription.unsubscribe();
            resolve();
          } else if (data.status !== 'queued' && data.status !== 'running') {
            reject(new Error(`job ended ${data.status}: ${data.error?.message}`));
          }
        },
        onError: reject,
      },
    );
  });
  return (performance.now() - started) / 1000;
}

/** Jobs through Redis: a server that only queues, and two worker processes that run them. */
export async function jobsOnRedis(
  sentences: string[],
  runs: number,
): Promise<Omit<JobsResults, 'bigJobSeconds'> & { bigJobSeconds: number[] }> {
  const redis = await startTestRedis();
  const env = {
    MODELS_CONFIG: path.join(repositoryRoot, 'apps/bench/models.bench.json'),
    MODELS_DIR: modelsDir,
    MODELS_OFFLINE: '1',
    LOG_LEVEL: 'warn',
    REDIS_URL: redis.url,
    JOBS_PROCESS_IN_SERVER: '0',
    JOBS_MAX_QUEUED: '100000',
  };
  const services: ServiceProcess[] = [];
  try {
    services.push(
      await startService({
        command: process.execPath,
        args: [path.join(repositoryRoot, 'apps/server/dist/main.js')],
        env: { ...env, PORT: '0', LOG_LEVEL: 'info' },
        readyUrl: (line) =>
          line.includes('mlrpc server listening')
            ? (JSON.parse(line) as { url: string }).url
            : undefined,
      }),
    );
    for (let index = 0; index < workerCount; index += 1) {
      services.push(
        await startService({
          command: process.execPath,
          args: [path.join(repositoryRoot, 'apps/worker/dist/main.js')],
          env: {
            ...env,
            PORT: '0',
            LOG_LEVEL: 'info',
            JOBS_CONCURRENCY: String(workerConcurrency),
          },
          readyUrl: (line) => (line.includes('mlrpc worker consuming jobs') ? 'ready' : undefined),
        }),
      );
    }
    const client = createClient({ url: services[0]?.url ?? '' });
    await smallJobsPerSecond(client, sentences.slice(0, 100)); // warm-up
    const jobsPerSecond: number[] = [];
    for (let run = 0; run < runs; run += 1)
      jobsPerSecond.push(await smallJobsPerSecond(client, sentences));
    const big: number[] = [];
    for (let run = 0; run < runs; run += 1) big.push(await bigJobSeconds(client, sentences));
    return { jobsPerSecond, bigJobSeconds: big, workers: workerCount, workerConcurrency };
  } finally {
    await Promise.all(services.map((service) => service.stop()));
    await redis.stop();
  }
}
