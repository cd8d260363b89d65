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
