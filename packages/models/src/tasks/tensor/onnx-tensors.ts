import type { TensorDtype } from '@mlrpc/schema';
import type { Tensor as OrtTensor } from 'onnxruntime-node';
import { ModelError } from '../../model-error.js';
import type { TensorValue, TypedTensorData } from './tensor-model.js';

type ArrayConstructorFor = new (length: number) => TypedTensorData;

/** Typed array per dtype; bool travels as uint8 (0/1), as onnxruntime stores it. */
export const typedArrayFor: Record<TensorDtype, ArrayConstructorFor> = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  int64: BigInt64Array,
  uint8: Uint8Array,
  int8: Int8Array,
  bool: Uint8Array,
};

const knownDtypes = new Set<string>(Object.keys(typedArrayFor));

/** Narrows onnxruntime's type names to the dtypes mlrpc accepts over the API. */
export function toTensorDtype(type: string, where: string): TensorDtype {
  if (!knownDtypes.has(type)) {
    throw new ModelError(
      'MODEL_LOAD_FAILED',
      `${where} has type ${type}, which mlrpc does not serve`,
    );
  }
  return type as TensorDtype;
}

/** Copies JSON numbers into the typed array of a dtype (int64 through BigInt). */
export function fromNumbers(dtype: TensorDtype, dims: number[], values: number[]): TensorValue {
  const data = new typedArrayFor[dtype](values.length);
  if (data instanceof BigInt64Array) {
    values.forEach((value, index) => (data[index] = BigInt(Math.trunc(value))));
  } else {
    data.set(values);
  }
  return { dtype, dims, data };
}

/** Plain numbers for JSON; int64 beyond 2^53 loses precision, as JSON numbers must. */
export function toNumbers(data: TypedTensorData): number[] {
  return data instanceof BigInt64Array ? Array.from(data, Number) : Array.from(data);
}

/** Reads an onnxruntime output into a transferable TensorValue. */
export function fromOrtTensor(tensor: OrtTensor, name: string): TensorValue {
  const dtype = toTensorDtype(tensor.type, `output ${name}`);
  const source = tensor.data as TypedTensorData;
  const data = new typedArrayFor[dtype](source.length);
  (data as Uint8Array).set(source as Uint8Array);
  return { dtype, dims: [...tensor.dims], data };
}
