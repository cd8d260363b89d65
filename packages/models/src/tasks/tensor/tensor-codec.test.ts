import { describe, expect, it } from 'vitest';
import { toNumbers } from './onnx-tensors.js';
import { tensorCodec, type TensorRequest } from './tensor-codec.js';
import type { TensorModelMetadata, TensorValues } from './tensor-model.js';

const metadata = (batch: number | string): TensorModelMetadata => ({
  inputs: [{ name: 'x', dtype: 'float32', shape: [batch, 2] }],
  outputs: [{ name: 'y', dtype: 'float32', shape: [batch, 1] }],
});
const rows = (...values: number[][]): TensorRequest => ({
  inputs: {
    x: { dtype: 'float32', dims: [values.length, 2], data: Float32Array.from(values.flat()) },
  },
  topK: 1,
});

describe('tensorCodec', () => {
  it('stacks compatible requests along the batch dimension and cuts the outputs back', () => {
    const codec = tensorCodec(metadata('batch'));
    const requests = [rows([1, 2]), rows([3, 4], [5, 6])];
    expect(codec.compatible(requests[0] as TensorRequest, requests[1] as TensorRequest)).toBe(true);
    const { payload } = codec.merge(requests);
    expect(payload.x?.dims).toEqual([3, 2]);
    expect(toNumbers(payload.x?.data ?? new Float32Array())).toEqual([1, 2, 3, 4, 5, 6]);
    const split = codec.split(
      { y: { dtype: 'float32', dims: [3, 1], data: Float32Array.from([10, 20, 30]) } },
      requests,
    ) as TensorValues[];
    expect(split.map((outputs) => toNumbers(outputs.y?.data ?? new Float32Array()))).toEqual([
      [10],
      [20, 30],
    ]);
    expect(split[1]?.y?.dims).toEqual([2, 1]);
  });

  it('never batches requests of another row shape or dtype, or a model with a fixed batch of 1', () => {
    const codec = tensorCodec(metadata('batch'));
    const wide: TensorRequest = {
      inputs: { x: { dtype: 'float32', dims: [1, 3], data: new Float32Array(3) } },
      topK: 1,
    };
    const integers: TensorRequest = {
      inputs: { x: { dtype: 'int32', dims: [1, 2], data: new Int32Array(2) } },
      topK: 1,
    };
    expect(codec.compatible(rows([1, 2]), wide)).toBe(false);
    expect(codec.compatible(rows([1, 2]), integers)).toBe(false);
    expect(tensorCodec(metadata(1)).compatible(rows([1, 2]), rows([3, 4]))).toBe(false);
  });
});
