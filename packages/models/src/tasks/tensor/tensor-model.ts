import type { TensorDtype } from '@mlrpc/schema';

export type TypedTensorData =
  Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array | Int8Array;

/** A tensor as backends hold it: typed data that can be transferred between threads. */
export interface TensorValue {
  dtype: TensorDtype;
  dims: number[];
  data: TypedTensorData;
}

export type TensorValues = Record<string, TensorValue>;

/** One input or output as the ONNX file declares it; a string dim is symbolic (e.g. "batch"). */
export interface TensorSpec {
  name: string;
  dtype: TensorDtype;
  shape: Array<number | string>;
}

export interface TensorModelMetadata {
  inputs: TensorSpec[];
  outputs: TensorSpec[];
  labels?: { output: string; names: string[] } | undefined;
}

/** A generic ONNX model: named tensors in, named tensors out. */
export interface TensorModel {
  readonly metadata: TensorModelMetadata;
  infer(inputs: TensorValues): Promise<TensorValues>;
  dispose(): Promise<void>;
}
