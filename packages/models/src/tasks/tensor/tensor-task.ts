import type { TensorMap, TensorPredictOutput } from '@mlrpc/schema';
import { ModelError } from '../../model-error.js';
import type { TaskDefinition } from '../task-definition.js';
import { typedArrayFor } from './onnx-tensors.js';
import { tensorCodec, type TensorRequest } from './tensor-codec.js';
import type { TensorModel, TensorModelMetadata, TensorValues } from './tensor-model.js';
import {
  assertOutputsFit,
  labelPredictions,
  toJsonTensors,
  toTensorValues,
} from './tensor-predictions.js';
import { validateTensorInputs } from './validate-tensor-inputs.js';

export interface TensorInput {
  inputs: TensorMap;
  topK: number;
}

/** Zeros in the shape the file declares (symbolic dims as 1): a first call that touches every kernel. */
function zeroInputs(metadata: TensorModelMetadata): TensorValues {
  const inputs: TensorValues = {};
  for (const spec of metadata.inputs) {
    const dims = spec.shape.map((dim) => (typeof dim === 'number' && dim > 0 ? dim : 1));
    const size = dims.reduce((product, dim) => product * dim, 1);
    inputs[spec.name] = { dtype: spec.dtype, dims, data: new typedArrayFor[spec.dtype](size) };
  }
  return inputs;
}

/** A generic ONNX model: named tensors in (checked against the file's own metadata), tensors out. */
export const tensorTask: TaskDefinition<
  TensorInput,
  TensorRequest,
  TensorValues,
  TensorValues,
  TensorValues,
  TensorPredictOutput
> = {
  task: 'tensor',
  runtime: {
    async load(entry, context): Promise<TensorModel> {
      const { loadOnnxTensorModel } = await import('./onnx-tensor-model.js');
      return loadOnnxTensorModel(entry, context);
    },
    describe: (model: TensorModel) => model.metadata,
    warmUp: (model: TensorModel) => model.infer(zeroInputs(model.metadata)).then(() => undefined),
    run: (model: TensorModel, payload) => model.infer(payload),
    transfer: (outputs) =>
      Object.values(outputs).map((tensor) => tensor.data.buffer as ArrayBuffer),
    dispose: (model: TensorModel) => model.dispose(),
  },
  admit(input, metadata) {
    const inputs = toTensorValues(input.inputs);
    validateTensorInputs(metadata as TensorModelMetadata, inputs);
    return { inputs, topK: input.topK };
  },
  codec: (metadata) => tensorCodec(metadata as TensorModelMetadata),
  output(outputs, served, request, metadata) {
    const { labels } = metadata as TensorModelMetadata;
    assertOutputsFit(outputs, labels, request.topK);
    const predictions = labels ? labelPredictions(labels, outputs, request.topK) : undefined;
    return {
      kind: 'tensor',
      ...served,
      outputs: toJsonTensors(outputs),
      ...(predictions ? { predictions } : {}),
    };
  },
  predict: {
    accepts: (input) => input.inputs !== undefined,
    toInput(input) {
      if (!input.inputs) {
        return Promise.reject(new ModelError('INVALID_INPUT', 'named input tensors are required'));
      }
      return Promise.resolve({ inputs: input.inputs, topK: input.topK });
    },
  },
};
