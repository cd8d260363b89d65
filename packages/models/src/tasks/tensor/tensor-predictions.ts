import type { Prediction, Tensor, TensorMap } from '@mlrpc/schema';
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
