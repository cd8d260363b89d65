import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import ort from 'onnxruntime-node';
import type { ModelEntry } from '../../model-config.js';
import { ModelError } from '../../model-error.js';
import type { LoadContext } from '../../runtime/load-context.js';
import { onnxSessionOptions } from '../../runtime/onnx-session-options.js';
import { fromOrtTensor, toTensorDtype } from './onnx-tensors.js';
import type { TensorModel, TensorModelMetadata, TensorSpec, TensorValues } from './tensor-model.js';

function specsOf(
  metadata: readonly ort.InferenceSession.ValueMetadata[],
  kind: string,
): TensorSpec[] {
  return metadata.map((value) => {
    if (!value.isTensor) {
      throw new ModelError('MODEL_LOAD_FAILED', `${kind} ${value.name} is not a tensor`);
    }
    return {
      name: value.name,
      dtype: toTensorDtype(value.type, `${kind} ${value.name}`),
      shape: [...value.shape],
    };
  });
}

async function readLabels(
  entry: ModelEntry,
  folder: string,
  outputs: TensorSpec[],
): Promise<TensorModelMetadata['labels']> {
  if (!entry.labels) return undefined;
  const { output, names, file } = entry.labels;
  if (!outputs.some((spec) => spec.name === output)) {
    throw new ModelError(
      'MODEL_LOAD_FAILED',
      `labels.output "${output}" is not an output of the model`,
    );
  }
  if (names) return { output, names };
  if (!file) throw new ModelError('MODEL_LOAD_FAILED', 'labels needs names or file');
  const json = JSON.parse(await readFile(path.join(folder, file), 'utf8')) as unknown;
  const list = Array.isArray(json) ? json : (json as { labels?: unknown }).labels;
  if (!Array.isArray(list) || !list.every((name) => typeof name === 'string')) {
    throw new ModelError('MODEL_LOAD_FAILED', `${file} holds no list of label names`);
  }
  return { output, names: list };
}

/** A plain ONNX file run by onnxruntime-node: named tensors in, named tensors out. */
export async function loadOnnxTensorModel(
  entry: ModelEntry,
  context: LoadContext,
): Promise<TensorModel> {
  const folder = path.resolve(context.settings.modelsDir, entry.source);
  if (!existsSync(path.join(folder, entry.file))) {
    throw new ModelError(
      'MODEL_LOAD_FAILED',
      `no model file "${path.join(entry.source, entry.file)}" under MODELS_DIR: ` +
        'check the source and file for typos, or point MODELS_DIR at the folder that holds it',
    );
  }
  const session = await ort.InferenceSession.create(path.join(folder, entry.file), {
    ...onnxSessionOptions(entry),
    executionProviders: [context.device],
  });
  const outputs = specsOf(session.outputMetadata, 'output');
  const metadata: TensorModelMetadata = {
    inputs: specsOf(session.inputMetadata, 'input'),
    outputs,
    labels: await readLabels(entry, folder, outputs),
  };

  return {
    metadata,
    async infer(inputs: TensorValues) {
      const feeds = Object.fromEntries(
        Object.entries(inputs).map(([name, value]) => [
          name,
          new ort.Tensor(value.dtype, value.data, value.dims),
        ]),
      );
      const results = await session.run(feeds);
      return Object.fromEntries(
        Object.entries(results).map(([name, tensor]) => [name, fromOrtTensor(tensor, name)]),
      );
    },
    async dispose() {
      await session.release();
    },
  };
}
