import { limits, type Prediction, type Tensor, type TensorMap } from '@mlrpc/schema';
import { ModelError } from '../../model-error.js';
import { fromNumbers, toNumbers } from './onnx-tensors.js';
import type { TensorModelMetadata, TensorValues } from './tensor-model.js';

/** JSON tensors from the API into typed arrays for the model. */
export function toTensorValues(inputs: TensorMap): TensorValues {
  return Object.fromEntries(
    Object.entries(inputs).map(([name, tensor]) => [
      name,
      fromNumbers(tensor.dtype, tensor.dims, tensor.data),
    ]),
  );
}

/** Typed model outputs into JSON tensors for the API. */
export function toJsonTensors(outputs: TensorValues): Record<string, Tensor> {
  return Object.fromEntries(
    Object.entries(outputs).map(([name, tensor]) => [
      name,
      { dtype: tensor.dtype, dims: tensor.dims, data: toNumbers(tensor.data) },
    ]),
  );
}

/** Top-k labelled scores per row of the output the model config maps to class names. */
export function labelPredictions(
  labels: NonNullable<TensorModelMetadata['labels']>,
  outputs: TensorValues,
  topK: number,
): Prediction[][] | undefined {
  const scores = outputs[labels.output];
  if (!scores || scores.dims.length !== 2) return undefined;
  const [rows = 0, columns = 0] = scores.dims;
  const values = toNumbers(scores.data);
  return Array.from({ length: rows }, (_, row) =>
    values
      .slice(row * columns, (row + 1) * columns)
      .map((confidence, column) => ({
        label: labels.names[column] ?? String(column),
        confidence: Math.min(1, Math.max(0, confidence)),
      }))
      .sort((a, b) => b.confidence - a.confidence)
      .slice(0, topK),
  );
}

/**
 * Refuses outputs that JSON cannot carry (NaN, ±Infinity) or that are too large to build and
 * send on the main thread (which would stall every other caller), before building them.
 */
export function assertOutputsFit(
  outputs: TensorValues,
  labels: TensorModelMetadata['labels'],
  topK: number,
): void {
  let total = 0;
  for (const [name, tensor] of Object.entries(outputs)) {
    total += tensor.data.length;
    if (total > limits.tensorMaxOutputElements) {
      throw new ModelError(
        'INVALID_INPUT',
        `this call's outputs would hold more than ${limits.tensorMaxOutputElements} numbers; send fewer rows per call`,
      );
    }
    if (tensor.data instanceof BigInt64Array) continue;
    const index = (tensor.data as Float32Array).findIndex((value) => !Number.isFinite(value));
    if (index >= 0) {
      throw new ModelError(
        'INVALID_INPUT',
        `the model's output "${name}" is not finite at ${index} (${tensor.data[index]}) for this input: check its scale`,
      );
    }
  }
  const scores = labels ? outputs[labels.output] : undefined;
  const [rows = 0, columns = 0] = scores?.dims ?? [];
  if (rows * Math.min(topK, columns) > limits.tensorMaxPredictions) {
    throw new ModelError(
      'INVALID_INPUT',
      `this call would return ${rows * Math.min(topK, columns)} labelled predictions, more than ${limits.tensorMaxPredictions}; send fewer rows or a smaller topK`,
    );
  }
}
