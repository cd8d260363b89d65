import type { ImageBytes, ImageSource, ModelTask, PredictRequest } from '@mlrpc/schema';
import type { ModelEntry } from '../model-config.js';
import type { LoadContext, RuntimeSettings } from '../runtime/load-context.js';
import type { BatchCodec } from '../serving/batch-codec.js';
import type { HostContext, HostedModel } from '../serving/model-host.js';

/** Which version answered a call and how it was served: every output carries these fields. */
export interface ServedBy {
  model: string;
  version: string;
  /** Time the model call took, for the whole batch this request rode in. */
  inferenceTimeMs: number;
  /** Time spent waiting in the queue before the batch started. */
  queueTimeMs: number;
  /** Items (texts, images, rows) in the model call that served this request. */
  batchSize: number;
}

/** What a running call gets besides its payload: a stop signal, a way to report, the settings. */
export interface RunContext {
  signal: AbortSignal;
  report: (event: unknown) => void;
  settings: RuntimeSettings;
}

/** What a task does inside the thread that holds the model. */
export interface TaskRuntime<Model, Payload, Result> {
  /** Loads the model; backends import their ML libraries here, so a task's table row stays light. */
  load(entry: ModelEntry, context: LoadContext): Promise<Model>;
  /** Facts the serving side needs before queueing (a tensor model's input specs, say). */
  describe?(model: Model): unknown;
  /** One throwaway call, so kernels and allocations are ready before the first caller. */
  warmUp(model: Model): Promise<void>;
  /** Runs one merged call. */
  run(model: Model, payload: Payload, context: RunContext): Promise<Result>;
  /** Buffers of the result that move back to the caller's thread instead of being copied. */
  transfer?(result: Result): ArrayBuffer[];
  dispose(model: Model): Promise<void>;
}

/** Counters a task's serving side feeds (tokens generated, for the model's stats). */
export interface ServingHooks {
  onTokens(tokens: number): void;
}

/** How a job bigger than one call is cut into parts whose outputs join into one. */
export interface TaskParts<Input, Output> {
  /** Items (texts, documents) in an input. */
  count(input: Input): number;
  slice(input: Input, start: number, end: number): Input;
  /** Joins the parts' outputs, in order, into the output the whole input would have had. */
  join(outputs: Output[], input: Input): Output;
}

/** What `predict` needs from a task it serves: which inputs are its, and how they become its input. */
export interface PredictRoute<Input> {
  accepts(input: PredictRequest): boolean;
  toInput(
    input: PredictRequest,
    reader: { readImage(source: ImageSource | ImageBytes): Promise<Uint8Array> },
  ): Promise<Input>;
}

/** A task served by the models of another task, through an adapter (reranking by embeddings). */
export interface TaskBridge<Input, Output> {
  task: ModelTask;
  run(
    input: Input,
    served: { model: string; version: string },
    runOther: (input: unknown) => Promise<unknown>,
  ): Promise<Output>;
}

/**
 * Everything one task is, in one place (transformers.js keeps `SUPPORTED_TASKS` the same way):
 * the shared machinery (worker protocol, batch queue, manager) holds no per-task code.
 * `Input` is what callers pass, `Request` what queues, `Payload` one merged model call,
 * `Result` what the model returns for it, `Response` one caller's share, `Output` the API shape.
 */
export interface TaskDefinition<Input, Request, Payload, Result, Response, Output> {
  readonly task: ModelTask;
  readonly runtime: TaskRuntime<unknown, Payload, Result>;
  /** Checks and readies an input before it queues; `metadata` is what the loaded model described. */
  admit(input: Input, metadata: unknown): Request;
  codec(metadata: unknown, hooks: ServingHooks): BatchCodec<Request, Payload, Result, Response>;
  output(response: Response, served: ServedBy, request: Request, metadata: unknown): Output;
  /** Calls one instance runs at once; 1 unless the runtime interleaves them. */
  concurrency?(entry: ModelEntry): number;
  /** Hosts for providers other than `local` (a remote OpenAI-compatible server). */
  providers?: Partial<
    Record<
      ModelEntry['provider'],
      (entry: ModelEntry, context: HostContext) => Promise<HostedModel>
    >
  >;
  parts?: TaskParts<Input, Output>;
  predict?: PredictRoute<Input>;
  bridge?: TaskBridge<Input, Output>;
}

// The table is heterogeneous: each row has its own types, which TaskInput/TaskOutput recover.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTaskDefinition = TaskDefinition<any, any, any, any, any, any>;
