import { ModelError } from '../../model-error.js';
import type { TensorModelMetadata, TensorValues } from './tensor-model.js';

/** Checks names, dtypes and fixed dims against the ONNX file's own metadata before queueing. */
export function validateTensorInputs(metadata: TensorModelMetadata, inputs: TensorValues): void {
  const expected = new Set(metadata.inputs.map((spec) => spec.name));
  for (const name of Object.keys(inputs)) {
    if (!expected.has(name)) {
      throw new ModelError(
        'INVALID_INPUT',
        `unknown input "${name}"; the model takes ${[...expected].join(', ')}`,
      );
    }
  }
  let rows: number | undefined;
  for (const spec of metadata.inputs) {
    const tensor = inputs[spec.name];
    if (!tensor) throw new ModelError('INVALID_INPUT', `missing input "${spec.name}"`);
    if (tensor.dtype !== spec.dtype) {
      throw new ModelError(
        'INVALID_INPUT',
        `input "${spec.name}" must be ${spec.dtype}, not ${tensor.dtype}`,
      );
    }
    const shape = `[${spec.shape.join(', ')}]`;
    if (tensor.dims.length !== spec.shape.length) {
      throw new ModelError(
        'INVALID_INPUT',
        `input "${spec.name}" must have shape ${shape}, got [${tensor.dims.join(', ')}]`,
      );
    }
    spec.shape.forEach((dim, axis) => {
      if (typeof dim === 'number' && dim >= 0 && tensor.dims[axis] !== dim) {
        throw new ModelError(
          'INVALID_INPUT',
          `input "${spec.name}" must have shape ${shape}, got [${tensor.dims.join(', ')}]`,
        );
      }
    });
    if (rows !== undefined && tensor.dims[0] !== rows) {
      throw new ModelError(
        'INVALID_INPUT',
        'every input must have the same first (batch) dimension',
      );
    }
    rows = tensor.dims[0];
  }
  if (rows === 0) throw new ModelError('INVALID_INPUT', 'inputs hold no rows');
}
