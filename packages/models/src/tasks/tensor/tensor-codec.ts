import type { BatchCodec } from '../../serving/batch-codec.js';
import { typedArrayFor } from './onnx-tensors.js';
import type { TensorModelMetadata, TensorValue, TensorValues } from './tensor-model.js';

export interface TensorRequest {
  inputs: TensorValues;
  topK: number;
}

const sameDims = (a: number[], b: number[]) =>
  a.length === b.length && a.every((dim, index) => dim === b[index]);

function rows(request: TensorRequest): number {
  return Object.values(request.inputs)[0]?.dims[0] ?? 1;
}

function concatenate(tensors: TensorValue[]): TensorValue {
  const [first] = tensors as [TensorValue];
  const length = tensors.reduce((sum, tensor) => sum + tensor.data.length, 0);
  const data = new typedArrayFor[first.dtype](length);
  let offset = 0;
  for (const tensor of tensors) {
    (data as Uint8Array).set(tensor.data as Uint8Array, offset);
    offset += tensor.data.length;
  }
  const batch = tensors.reduce((sum, tensor) => sum + (tensor.dims[0] ?? 0), 0);
  return { dtype: first.dtype, dims: [batch, ...first.dims.slice(1)], data };
}

function sliceRows(tensor: TensorValue, start: number, count: number): TensorValue {
  const width = tensor.dims.slice(1).reduce((product, dim) => product * dim, 1);
  return {
    dtype: tensor.dtype,
    dims: [count, ...tensor.dims.slice(1)],
    data: tensor.data.slice(start * width, (start + count) * width),
  };
}

/**
 * Requests with the same input names, dtypes and per-row shape are stacked along the first
 * dimension; outputs whose first dimension is the batch are cut back per caller. A model whose
 * inputs have a fixed first dimension is never batched.
 */
export function tensorCodec(
  metadata: TensorModelMetadata,
): BatchCodec<TensorRequest, TensorValues, TensorValues, TensorValues> {
  const batchable = metadata.inputs.every((spec) => typeof spec.shape[0] !== 'number');
  return {
    size: rows,
    compatible({ inputs: first }, { inputs: next }) {
      if (!batchable) return false;
      const names = Object.keys(first);
      return (
        names.length === Object.keys(next).length &&
        names.every((name) => {
          const a = first[name];
          const b = next[name];
          return a && b && a.dtype === b.dtype && sameDims(a.dims.slice(1), b.dims.slice(1));
        })
      );
    },
    merge(requests) {
      const [first] = requests as [TensorRequest];
      const inputs =
        requests.length === 1
          ? first.inputs
          : Object.fromEntries(
              Object.keys(first.inputs).map((name) => [
                name,
                concatenate(requests.map((request) => request.inputs[name] as TensorValue)),
              ]),
            );
      return {
        payload: inputs,
        transfer: Object.values(inputs).map((tensor) => tensor.data.buffer as ArrayBuffer),
      };
    },
    split(outputs, requests) {
      const total = requests.reduce((sum, request) => sum + rows(request), 0);
      let start = 0;
      return requests.map((request) => {
        const count = rows(request);
        const own = Object.fromEntries(
          Object.entries(outputs).map(([name, tensor]) => [
            name,
            tensor.dims[0] === total ? sliceRows(tensor, start, count) : tensor,
          ]),
        );
        start += count;
        return own;
      });
    },
  };
}
