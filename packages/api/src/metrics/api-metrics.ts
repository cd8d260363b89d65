import type { ModelInfo } from '@mlrpc/schema';
import type { JobBackend } from '@mlrpc/jobs';
import type { ModelManager } from '@mlrpc/models';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

const latencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** How one call was served, as outputs report it (`servedBy` fields). */
export interface ServedCall {
  model: string;
  version: string;
  queueTimeMs: number;
  inferenceTimeMs: number;
  batchSize: number;
}

/**
 * The Prometheus metrics of one server: its own registry (tests run many servers in a process),
 * request counters and durations by procedure and code, engine figures, jobs, and Node's own
 * (event-loop lag, heap, GC) from prom-client's defaults.
 */
export class ApiMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'procedure' | 'code'>;
  private readonly durations: Histogram<'procedure' | 'code'>;
  private readonly queueTime: Histogram<'model' | 'version'>;
  private readonly inferenceTime: Histogram<'model' | 'version'>;
  private readonly batchSize: Histogram<'model' | 'version'>;
  private readonly timeToFirstToken: Histogram<'model' | 'version'>;
  private readonly tokensPerSecond: Histogram<'model' | 'version'>;
  private readonly callChildren = new Map<
    string,
    {
      requests: Counter.Internal;
      durations: Histogram.Internal<'procedure' | 'code'>;
    }
  >();
  private readonly servedChildren = new Map<
    string,
    {
      queueTime: Histogram.Internal<'model' | 'version'>;
      inferenceTime: Histogram.Internal<'model' | 'version'>;
      batchSize: Histogram.Internal<'model' | 'version'>;
    }
  >();

  constructor(models: ModelManager, jobs: JobBackend) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({
      name: 'mlrpc_requests_total',
      help: 'Procedure calls by procedure and our error code (OK when it succeeded)',
      labelNames: ['procedure', 'code'],
      registers,
    });
    this.durations = new Histogram({
      name: 'mlrpc_request_duration_seconds',
      help: 'Procedure call duration (for subscriptions: until the stream opened)',
      labelNames: ['procedure', 'code'],
      buckets: latencyBuckets,
      registers,
    });
    const perModel = ['model', 'version'] as const;
    this.queueTime = new Histogram({
      name: 'mlrpc_queue_time_seconds',
      help: 'Time a call waited in its model queue',
      labelNames: perModel,
      buckets: latencyBuckets,
      registers,
    });
    this.inferenceTime = new Histogram({
      name: 'mlrpc_inference_time_seconds',
      help: 'Model execution time of the batch a call ran in',
      labelNames: perModel,
      buckets: latencyBuckets,
      registers,
    });
    this.batchSize = new Histogram({
      name: 'mlrpc_batch_size',
      help: 'Items in the batch each call ran in',
      labelNames: perModel,
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
      registers,
    });
    this.timeToFirstToken = new Histogram({
      name: 'mlrpc_time_to_first_token_seconds',
      help: 'Chat: time from the call to the first generated text',
      labelNames: perModel,
      buckets: latencyBuckets,
      registers,
    });
    this.tokensPerSecond = new Histogram({
      name: 'mlrpc_generation_tokens_per_second',
      help: 'Chat: generation speed of each completed generation',
      labelNames: perModel,
      buckets: [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500],
      registers,
    });
    /** A gauge read from each ready model version at scrape time. */
    const perReadyModel = (name: string, help: string, read: (info: ModelInfo) => number) =>
      new Gauge({
        name,
        help,
        labelNames: perModel,
        registers,
        collect() {
          this.reset();
          for (const info of models.list()) {
            if (info.state === 'ready')
              this.set({ model: info.id, version: info.version }, read(info));
          }
        },
      });
    perReadyModel(
      'mlrpc_queue_depth',
      'Calls waiting in each model queue',
      (info) => info.queueDepth,
    );
    perReadyModel(
      'mlrpc_running_calls',
      'Calls running on each model now (generations decoding together count one each)',
      (info) => info.running,
    );
    new Gauge({
      name: 'mlrpc_model_state',
      help: '1 for the state each model version is in',
      labelNames: ['model', 'version', 'state'],
      registers,
      collect() {
        this.reset();
        for (const info of models.list()) {
          this.set({ model: info.id, version: info.version, state: info.state }, 1);
        }
      },
    });
    new Gauge({
      name: 'mlrpc_model_load_seconds',
      help: 'How long each loaded model version took to load',
      labelNames: perModel,
      registers,
      collect() {
        this.reset();
        for (const info of models.list()) {
          if (info.loadTimeMs !== null) {
            this.set({ model: info.id, version: info.version }, info.loadTimeMs / 1000);
          }
        }
      },
    });
    new Gauge({
      name: 'mlrpc_jobs',
      help: 'Jobs by state (queued and running across the whole backend)',
      labelNames: ['state'],
      registers,
      async collect() {
        this.reset();
        const counts = await jobs.counts().catch(() => ({}));
        for (const [state, count] of Object.entries(counts)) this.set({ state }, count);
      },
    });
  }

  /** One procedure call ended (`code` is our error code, or OK). */
  recordCall(procedure: string, code: string, seconds: number): void {
    // Label children are cached: resolving labels on every observation costs more than the count.
    const key = `${procedure}\u0000${code}`;
    let children = this.callChildren.get(key);
    if (!children) {
      children = {
        requests: this.requests.labels(procedure, code),
        durations: this.durations.labels(procedure, code),
      };
      this.callChildren.set(key, children);
    }
    children.requests.inc();
    children.durations.observe(seconds);
  }

  /** A call's output said how the engine served it. */
  recordServed(served: ServedCall): void {
    const key = `${served.model}\u0000${served.version}`;
    let children = this.servedChildren.get(key);
    if (!children) {
      children = {
        queueTime: this.queueTime.labels(served.model, served.version),
        inferenceTime: this.inferenceTime.labels(served.model, served.version),
        batchSize: this.batchSize.labels(served.model, served.version),
      };
      this.servedChildren.set(key, children);
    }
    children.queueTime.observe(served.queueTimeMs / 1000);
    children.inferenceTime.observe(served.inferenceTimeMs / 1000);
    children.batchSize.observe(served.batchSize);
  }

  /** A chat generation finished. */
  recordGeneration(model: string, version: string, ttftMs: number, tokensPerSecond: number): void {
    const labels = { model, version };
    this.timeToFirstToken.observe(labels, ttftMs / 1000);
    if (tokensPerSecond > 0) this.tokensPerSecond.observe(labels, tokensPerSecond);
  }
}
