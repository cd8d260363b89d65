import type { RouterOutputs } from '@mlrpc/client';

type PredictOutput = RouterOutputs['predict'];

/** The image-classification shape of a predict result; fails the test on any other kind. */
export function imageResult(
  result: PredictOutput,
): Extract<PredictOutput, { kind: 'image-classification' }> {
  if (result.kind !== 'image-classification')
    throw new Error(`expected an image result, got ${result.kind}`);
  return result;
}

/** The tensor shape of a predict result; fails the test on any other kind. */
export function tensorResult(result: PredictOutput): Extract<PredictOutput, { kind: 'tensor' }> {
  if (result.kind !== 'tensor') throw new Error(`expected a tensor result, got ${result.kind}`);
  return result;
}

/** A predict result of the given kind; fails the test on any other kind. */
export function narrowPrediction<Kind extends PredictOutput['kind']>(
  result: PredictOutput,
  kind: Kind,
): Extract<PredictOutput, { kind: Kind }> {
  if (result.kind !== kind) throw new Error(`expected a ${kind} result, got ${result.kind}`);
  return result as Extract<PredictOutput, { kind: Kind }>;
}
