import { z } from 'zod';
import { limits } from './limits.js';

export const tensorDtypeSchema = z.enum([
  'float32',
  'float64',
  'int32',
  'int64',
  'uint8',
  'int8',
  'bool',
]);
export type TensorDtype = z.infer<typeof tensorDtypeSchema>;

const elementCount = (dims: number[]) => dims.reduce((product, dim) => product * dim, 1);

const float32Max = 3.4028234663852886e38;
/** What each dtype can hold: a value outside it would silently become Infinity, wrap or truncate. */
const valueRanges: Record<TensorDtype, { accepts: (value: number) => boolean; holds: string }> = {
  float32: { accepts: (value) => Math.abs(value) <= float32Max, holds: 'numbers within ±3.4e38' },
  float64: { accepts: () => true, holds: 'finite numbers' },
  int32: {
    accepts: (value) => Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31,
    holds: 'integers from -2^31 to 2^31-1',
  },
  int64: { accepts: Number.isSafeInteger, holds: 'integers within ±2^53 (exact in JSON)' },
  uint8: {
    accepts: (value) => Number.isInteger(value) && value >= 0 && value <= 255,
    holds: 'integers from 0 to 255',
  },
  int8: {
    accepts: (value) => Number.isInteger(value) && value >= -128 && value <= 127,
    holds: 'integers from -128 to 127',
  },
  bool: { accepts: (value) => value === 0 || value === 1, holds: '0 or 1' },
};

/** A dense tensor as JSON: dims plus row-major data (int64 travels as numbers; bool as 0/1). */
export const tensorSchema = z
  .object({
    dtype: tensorDtypeSchema,
    dims: z.array(z.number().int().nonnegative()).min(1).max(limits.tensorMaxRank),
    data: z.array(z.number().finite()).max(limits.tensorMaxElements),
  })
  .strict()
  .refine((tensor) => elementCount(tensor.dims) === tensor.data.length, {
    message: 'data length must equal the product of dims',
    path: ['data'],
  })
  .superRefine((tensor, context) => {
    const range = valueRanges[tensor.dtype];
    const index = tensor.data.findIndex((value) => !range.accepts(value));
    if (index >= 0) {
      context.addIssue({
        code: 'custom',
        message: `${tensor.dtype} holds ${range.holds}; data[${index}] is ${tensor.data[index]}`,
        path: ['data', index],
      });
    }
  });
export type Tensor = z.infer<typeof tensorSchema>;

export const tensorNameSchema = z.string().min(1).max(128);

export const tensorMapSchema = z
  .record(tensorNameSchema, tensorSchema)
  .refine((inputs) => Object.keys(inputs).length > 0, 'give at least one input tensor')
  .refine(
    (inputs) => Object.keys(inputs).length <= limits.tensorMaxInputs,
    `at most ${limits.tensorMaxInputs} input tensors`,
  )
  .refine(
    (inputs) =>
      Object.values(inputs).reduce((sum, tensor) => sum + tensor.data.length, 0) <=
      limits.tensorMaxElements,
    `at most ${limits.tensorMaxElements} elements in all`,
  );
export type TensorMap = z.infer<typeof tensorMapSchema>;
