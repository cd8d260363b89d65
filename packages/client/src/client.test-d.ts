import type {
  chatInputSchema,
  embedInputSchema,
  embedOutputSchema,
  jobSchema,
  JobSubmitInput,
  modelsListOutputSchema,
  PredictOutput,
} from '@mlrpc/schema';
import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { MlrpcClient, RouterInputs, RouterOutputs } from './index.js';

// Checked by the compiler (pnpm typecheck): the client's types are the schema package's.
describe('types flow from @mlrpc/schema to the client', () => {
  it('gives procedures the schemas’ inputs and outputs', () => {
    expectTypeOf<RouterInputs['embed']>().toEqualTypeOf<z.input<typeof embedInputSchema>>();
    expectTypeOf<RouterOutputs['embed']>().toEqualTypeOf<z.output<typeof embedOutputSchema>>();
    expectTypeOf<RouterInputs['chat']['complete']>().toEqualTypeOf<
      z.input<typeof chatInputSchema>
    >();
    expectTypeOf<RouterOutputs['predict']>().toEqualTypeOf<PredictOutput>();
    expectTypeOf<RouterOutputs['jobs']['get']>().toEqualTypeOf<z.output<typeof jobSchema>>();
    expectTypeOf<RouterOutputs['models']['list']>().toEqualTypeOf<
      z.output<typeof modelsListOutputSchema>
    >();
  });

  it('keeps jobs.submit precise per kind', () => {
    expectTypeOf<RouterInputs['jobs']['submit']>().toEqualTypeOf<JobSubmitInput>();
    expectTypeOf<Extract<JobSubmitInput, { kind: 'embed' }>['input']['texts']>().toEqualTypeOf<
      string[]
    >();
  });

  it('types the calls themselves', () => {
    expectTypeOf<MlrpcClient['embed']['mutate']>()
      .parameter(0)
      .toEqualTypeOf<RouterInputs['embed']>();
    expectTypeOf<ReturnType<MlrpcClient['embed']['mutate']>>().resolves.toEqualTypeOf<
      RouterOutputs['embed']
    >();
  });
});

describe('the helpers on the client', () => {
  it('types chatStream and waitForJob from the router', () => {
    expectTypeOf<MlrpcClient['chatStream']>()
      .parameter(0)
      .toEqualTypeOf<RouterInputs['chat']['stream']>();
    expectTypeOf<ReturnType<MlrpcClient['waitForJob']>>().resolves.toEqualTypeOf<
      RouterOutputs['jobs']['get']
    >();
  });
});
