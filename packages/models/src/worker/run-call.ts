import type { LoadedModel } from '../backend/model-backend.js';
import { ModelError } from '../model-error.js';
import type { WorkerCall, WorkerCallEvent, WorkerCallResult } from './worker-protocol.js';

export interface CallOutcome {
  result: WorkerCallResult;
  /** Buffers handed to the main thread instead of copied. */
  transfer: ArrayBuffer[];
}

function mismatch(model: LoadedModel, call: WorkerCall): ModelError {
  return new ModelError('TASK_MISMATCH', `a ${model.task} model cannot run a ${call.kind} call`);
}

/** Runs one merged call on the model this worker holds. */
export interface CallControls {
  signal: AbortSignal;
  report: (event: WorkerCallEvent) => void;
}

export async function runCall(
  model: LoadedModel,
  call: WorkerCall,
  controls: CallControls,
): Promise<CallOutcome> {
  switch (call.kind) {
    case 'embed': {
      if (model.task !== 'feature-extraction') throw mismatch(model, call);
      const { data, dimension, tokens } = await model.embed(call.texts, {});
      return {
        result: { kind: 'embed', data, dimension, tokens },
        transfer: [data.buffer as ArrayBuffer],
      };
    }
    case 'classify': {
      if (model.task !== 'image-classification') throw mismatch(model, call);
      const { predictions } = await model.classify(call.images, { topK: call.topK });
      return { result: { kind: 'classify', predictions }, transfer: [] };
    }
    case 'infer': {
      if (model.task !== 'tensor') throw mismatch(model, call);
      const { outputs } = await model.infer(call.inputs, {});
      const transfer = Object.values(outputs).map((tensor) => tensor.data.buffer as ArrayBuffer);
      return { result: { kind: 'infer', outputs }, transfer };
    }
    case 'generate': {
      if (model.task !== 'text-generation') throw mismatch(model, call);
      const generation = await model.generate(call.messages, {
        ...call.options,
        signal: controls.signal,
        onText: (text) => controls.report({ text }),
        onTokens: (tokens) => controls.report({ tokens }),
      });
      return { result: { kind: 'generate', generation }, transfer: [] };
    }
  }
}
