import type { ChatMessage, ErrorCode, Prediction } from '@mlrpc/schema';
import type {
  ExecutionDevice,
  GenerateOptions,
  Generation,
  TensorModelMetadata,
  TensorValues,
} from '../backend/model-backend.js';
import type { TransformersRuntimeOptions } from '../backend/transformers-runtime.js';
import type { DecodedImage } from '../image/decoded-image.js';
import type { ModelEntry } from '../model-config.js';

/** What a model worker is started with (its `workerData`). */
export interface WorkerSetup {
  entry: ModelEntry;
  device: ExecutionDevice;
  runtime: TransformersRuntimeOptions;
  /** CPU priority of the worker and its inference threads (Linux nice, 0..19). */
  niceness: number;
}

/** One model call: a whole batch, already merged from several requests. */
export type WorkerCall =
  | { kind: 'embed'; texts: string[] }
  | { kind: 'classify'; images: DecodedImage[]; topK: number }
  | { kind: 'infer'; inputs: TensorValues }
  | {
      kind: 'generate';
      messages: ChatMessage[];
      options: Pick<
        GenerateOptions,
        'maxTokens' | 'temperature' | 'topP' | 'stop' | 'continueFrom' | 'seed'
      >;
    };

/** What a running call reports before it ends: generated text and tokens as they come. */
export interface WorkerCallEvent {
  text?: string;
  tokens?: number;
}

export type WorkerCallResult =
  | { kind: 'embed'; data: Float32Array; dimension: number; tokens: number[] }
  | { kind: 'classify'; predictions: Prediction[][] }
  | { kind: 'infer'; outputs: TensorValues }
  | { kind: 'generate'; generation: Omit<Generation, 'execution'> };

export type WorkerRequest =
  | { type: 'run'; id: number; call: WorkerCall }
  /** Stop a running call early (generation stops after the current token). */
  | { type: 'cancel'; id: number }
  /** Release the model and end the thread; sent once no call is running. */
  | { type: 'dispose' };

export type WorkerMessage =
  | { type: 'loaded'; metadata: TensorModelMetadata | undefined }
  | { type: 'load-failed'; code: ErrorCode; message: string }
  | { type: 'event'; id: number; event: WorkerCallEvent }
  | { type: 'result'; id: number; result: WorkerCallResult; inferenceTimeMs: number }
  | { type: 'failed'; id: number; code: ErrorCode; message: string };
