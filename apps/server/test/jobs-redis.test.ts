import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { createClient, type MlrpcClient, type RouterOutputs } from '@mlrpc/client';
import { startTestRedis, type TestRedis } from '@mlrpc/jobs/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readGlosses } from './support/glosses.js';
import {
  startServerProcess,
  startWorkerProcess,
  type AppProcess,
  type LogEntry,
} from './support/server-process.js';
import { startTestServer } from './support/test-server.js';

type Job = RouterOutputs['jobs']['get'];

let redis: TestRedis;
let glosses: string[];
beforeAll(async () => {
  redis = await startTestRedis();
  glosses = await readGlosses();
});
afterAll(() => redis.stop());

/** Settings for one test's servers and workers: its own key prefix on the shared Redis. */
const redisEnv = () => ({
  REDIS_URL: redis.url,
  REDIS_PREFIX: `e2e-${randomUUID()}`,
  JOBS_LOCK_MS: '2000',
  JOBS_BACKOFF_MS: '100',
});

const texts = (count: number, offset = 0) =>
  Array.from({ length: count }, (_, index) => glosses[(offset + index) % glosses.length] ?? '');

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let tries = 0; tries < 1_200; tries += 1) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('condition never held');
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const events = (worker: AppProcess, event: string): LogEntry[] =>
  worker.logs.filter((entry) => entry.event === event);

describe('jobs on Redis with separate worker processes', () => {
  it('runs 1,000 embed jobs across 2 workers, each exactly once', async () => {
    const env = redisEnv();
    const api = await startTestServer({ ...env, JOBS_PROCESS_IN_SERVER: '0' });
    // Two workers on one host with one settings file: the same probe port (and the server's
    // PORT, which a worker leaves alone). The second works on without probes.
    const probePort = await freePort();
    const workerEnv = {
      ...env,
      JOBS_CONCURRENCY: '4',
      PORT: String(probePort),
      WORKER_PORT: String(probePort),
    };
    const workers = await Promise.all([
      startWorkerProcess(workerEnv),
      startWorkerProcess(workerEnv),
    ]);
    const unprobed = workers.filter((worker) =>
      worker.logs.some((entry) => entry.msg?.startsWith('health probe port in use')),
    );
    expect(unprobed).toHaveLength(1);
    expect((await fetch(`http://127.0.0.1:${probePort}/health/live`)).status).toBe(200);
    try {
      const submitted: string[] = [];
      for (let start = 0; start < 1_000; start += 100) {
        const page = await Promise.all(
          texts(100, start).map((text) =>
            api.client.jobs.submit.mutate({ kind: 'embed', input: { texts: [text] } }),
          ),
        );
        submitted.push(...page.map((job) => job.id));
      }
      const completed = () => workers.flatMap((worker) => events(worker, 'completed'));
      await until(
        () => Promise.resolve(completed().length),
        (count) => count >= 1_000,
      );
      const ids = completed().map((entry) => entry.jobId);
      expect(new Set(ids).size).toBe(1_000);
      expect(ids.length).toBe(1_000);
      expect([...ids].sort()).toEqual([...submitted].sort());
      const started = workers.flatMap((worker) => events(worker, 'started'));
      expect(started.length).toBe(1_000);
      for (const worker of workers) expect(events(worker, 'completed').length).toBeGreaterThan(50);

      const jobs = await Promise.all(
        submitted.map((jobId) => api.client.jobs.get.query({ jobId })),
      );
      expect(jobs.every((job) => job.status === 'completed' && job.attempts === 1)).toBe(true);
      const live = await api.client.embed.mutate({ texts: texts(1, 7) });
      const result = jobs[7]?.result;
      expect(result && 'embeddings' in result ? result.embeddings[0] : []).toEqual(
        live.embeddings[0],
      );
    } finally {
      await Promise.all(workers.map((worker) => worker.kill('SIGTERM')));
      await api.close();
    }
  });

  it('finishes a job on the other worker after its worker is killed with SIGKILL mid-job', async () => {
    const env = redisEnv();
    const api = await startTestServer({ ...env, JOBS_PROCESS_IN_SERVER: '0' });
    const workers = await Promise.all([startWorkerProcess(env), startWorkerProcess(env)]);
    try {
      const input = { model: 'minilm-random', texts: texts(2_000, 3) };
      const job = await api.client.jobs.submit.mutate({ kind: 'embed', input });
      await until(
        () => api.client.jobs.get.query({ jobId: job.id }),
        (current) => current.status === 'running' && current.progress > 0,
      );
      const victim = workers.find((worker) => events(worker, 'started').length > 0);
      const survivor = workers.find((worker) => worker !== victim);
      expect(victim && survivor).toBeTruthy();
      await victim?.kill('SIGKILL');

      const done = await until(
        () => api.client.jobs.get.query({ jobId: job.id }),
        (current) => current.status === 'completed',
      );
      expect(done.attempts).toBe(2);
      // A response carries a page of the result's rows; the rest come by resultOffset.
      expect(done.resultPage).toEqual({ offset: 0, count: 1_000, total: 2_000 });
      const whole = await api.client.jobs.get.query({ jobId: job.id, resultLimit: 2_000 });
      expect(
        whole.result && 'embeddings' in whole.result ? whole.result.embeddings.length : 0,
      ).toBe(2_000);
      // The worker logs the completion just after Redis has it: wait for the line.
      await expect
        .poll(() => (survivor ? events(survivor, 'completed').map((entry) => entry.jobId) : []))
        .toEqual([job.id]);
    } finally {
      await Promise.all(workers.map((worker) => worker.kill('SIGTERM')));
      await api.close();
    }
  });

  it('loses no job or result when the API server is killed and restarted', async () => {
    const env = { ...redisEnv(), JOBS_PROCESS_IN_SERVER: '0', MODELS_PRELOAD: '0' };
    const worker = await startWorkerProcess(env);
    let server = await startServerProcess(env);
    try {
      let client: MlrpcClient = createClient({ url: server.url });
      const ids: string[] = [];
      for (const [index, text] of texts(20, 11).entries()) {
        const input =
          index === 0 ? { model: 'minilm-random', texts: texts(1_500) } : { texts: [text] };
        ids.push((await client.jobs.submit.mutate({ kind: 'embed', input })).id);
      }
      await server.kill('SIGKILL');
      server = await startServerProcess(env);
      client = createClient({ url: server.url });
      const jobs: Job[] = await until(
        () => Promise.all(ids.map((jobId) => client.jobs.get.query({ jobId }))),
        (all) => all.every((job) => job.status === 'completed'),
      );
      expect(jobs.map((job) => job.id)).toEqual(ids);
      const listed = await client.jobs.list.query({ limit: 100 });
      expect(listed.jobs.map((job) => job.id)).toEqual([...ids].reverse());
      // Listings carry no results; jobs.get pages them.
      expect(listed.jobs.every((job) => job.result === null)).toBe(true);
      expect(jobs[0]?.resultPage).toEqual({ offset: 0, count: 1_000, total: 1_500 });
      const rest = await client.jobs.get.query({ jobId: ids[0] ?? '', resultOffset: 1_000 });
      expect(rest.resultPage).toEqual({ offset: 1_000, count: 500, total: 1_500 });
      expect(rest.result && 'embeddings' in rest.result ? rest.result.embeddings.length : 0).toBe(
        500,
      );
    } finally {
      await worker.kill('SIGTERM');
      await server.kill('SIGTERM');
    }
  });

  it('stops the work of a cancelled running job on its worker', async () => {
    const env = redisEnv();
    const api = await startTestServer({ ...env, JOBS_PROCESS_IN_SERVER: '0' });
    const worker = await startWorkerProcess(env);
    try {
      const big = await api.client.jobs.submit.mutate({
        kind: 'embed',
        input: { model: 'minilm-random', texts: texts(3_000) },
      });
      await until(
        () => api.client.jobs.get.query({ jobId: big.id }),
        (current) => current.progress > 0,
      );
      expect((await api.client.jobs.cancel.mutate({ jobId: big.id })).status).toBe('cancelled');
      const stopped = await until(
        () => Promise.resolve(events(worker, 'cancelled')),
        (entries) => entries.length > 0,
      );
      // It stopped between batches, well short of the end, and took no further work on it.
      expect(stopped[0]).toMatchObject({ jobId: big.id });
      expect(stopped[0]?.progress).toBeLessThan(1);
      const next = await api.client.jobs.submit.mutate({
        kind: 'embed',
        input: { texts: ['a fox'] },
      });
      await until(
        () => api.client.jobs.get.query({ jobId: next.id }),
        (current) => current.status === 'completed',
      );
      const after = await api.client.jobs.get.query({ jobId: big.id });
      expect(after).toMatchObject({ status: 'cancelled', result: null });
      expect(events(worker, 'completed').map((entry) => entry.jobId)).toEqual([next.id]);
    } finally {
      await worker.kill('SIGTERM');
      await api.close();
    }
  });

  it('streams progress and the final result through jobs.watch', async () => {
    const api = await startTestServer(redisEnv());
    try {
      const job = await api.client.jobs.submit.mutate({
        kind: 'embed',
        input: { texts: texts(1_000) },
      });
      const seen = await new Promise<Job[]>((resolve, reject) => {
        const snapshots: Job[] = [];
        api.client.jobs.watch.subscribe(
          { jobId: job.id },
          {
            onData: ({ data }) => {
              snapshots.push(data);
              if (data.status === 'completed') resolve(snapshots);
            },
            onError: reject,
          },
        );
      });
      const progress = seen.map((snapshot) => snapshot.progress);
      expect(progress.some((value) => value > 0 && value < 1)).toBe(true);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
      const last = seen.at(-1)?.result;
      expect(last && 'embeddings' in last ? last.embeddings.length : 0).toBe(1_000);
    } finally {
      await api.close();
    }
  });
});
