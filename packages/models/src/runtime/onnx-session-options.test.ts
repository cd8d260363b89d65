import { describe, expect, it } from 'vitest';
import { modelConfigSchema } from '../model-config.js';
import { onnxSessionOptions } from './onnx-session-options.js';

const entryWith = (fields: Record<string, unknown>) =>
  modelConfigSchema.parse({
    models: [{ id: 'e', task: 'feature-extraction', source: 'local/e', ...fields }],
  }).models[0]!;

describe('onnxSessionOptions', () => {
  it('keeps idle threads from spinning by default, so HTTP keeps its cores', () => {
    expect(onnxSessionOptions(entryWith({})).extra).toEqual({
      session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } },
    });
  });

  it('lets a model entry opt in to spinning, and pin its thread count', () => {
    const options = onnxSessionOptions(entryWith({ spinWait: true, threads: 2 }));
    expect(options.extra).toEqual({
      session: { intra_op: { allow_spinning: '1' }, inter_op: { allow_spinning: '1' } },
    });
    expect(options).toMatchObject({ intraOpNumThreads: 2, interOpNumThreads: 1 });
  });
});
