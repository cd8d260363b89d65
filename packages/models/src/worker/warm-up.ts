import type { LoadedModel, TensorValues } from '../backend/model-backend.js';
import { typedArrayFor } from '../backend/onnx-tensors.js';

/** One throwaway inference, so kernels and allocations are ready before the first real caller. */
export async function warmUp(model: LoadedModel): Promise<void> {
  switch (model.task) {
    case 'feature-extraction':
      await model.embed(['warm up'], {});
      return;
    case 'image-classification':
      await model.classify(
        [{ data: new Uint8Array(32 * 32 * 3), width: 32, height: 32, channels: 3 }],
        {
          topK: 1,
        },
      );
      return;
    case 'text-generation':
      await model.generate([{ role: 'user', content: 'hello' }], {
        maxTokens: 1,
        temperature: 0,
        topP: 1,
        stop: [],
        onText: () => undefined,
      });
      return;
    case 'tensor': {
      const inputs: TensorValues = {};
      for (const spec of model.metadata.inputs) {
        const dims = spec.shape.map((dim) => (typeof dim === 'number' && dim > 0 ? dim : 1));
        const size = dims.reduce((product, dim) => product * dim, 1);
        inputs[spec.name] = { dtype: spec.dtype, dims, data: new typedArrayFor[spec.dtype](size) };
      }
      await model.infer(inputs, {});
      return;
    }
  }
}
