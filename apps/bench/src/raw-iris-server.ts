import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tensorPredictInputSchema } from '@mlrpc/schema';
import ort from 'onnxruntime-node';

// Baseline: the same iris work as mlrpc's predict (zod validation, onnxruntime, labels), on a bare
// node:http server with JSON handled by hand and the model run on the event loop.
const modelPath = process.argv[2];
if (!modelPath) throw new Error('usage: raw-iris-server <model.onnx>');
const labels = ['setosa', 'versicolor', 'virginica'];
const session = await ort.InferenceSession.create(modelPath);

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const parsed = tensorPredictInputSchema.safeParse(JSON.parse(Buffer.concat(chunks).toString()));
    const features = parsed.success ? parsed.data.inputs.features : undefined;
    if (!parsed.success || !features) {
      response.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"bad input"}');
      return;
    }
    const topK = parsed.data.topK;
    session
      .run({ features: new ort.Tensor('float32', Float32Array.from(features.data), features.dims) })
      .then((outputs) => {
        const probabilities = Array.from(outputs.probabilities?.data as Float32Array);
        const label = Array.from(outputs.label?.data as BigInt64Array, Number);
        const rows = label.length;
        const predictions = label.map((_, row) =>
          probabilities
            .slice(row * 3, row * 3 + 3)
            .map((confidence, column) => ({ label: labels[column] ?? '', confidence }))
            .sort((a, b) => b.confidence - a.confidence)
            .slice(0, topK),
        );
        response.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            model: 'iris',
            version: '1',
            outputs: {
              probabilities: { dtype: 'float32', dims: [rows, 3], data: probabilities },
              label: { dtype: 'int64', dims: [rows], data: label },
            },
            predictions,
          }),
        );
      })
      .catch(() => response.writeHead(500).end());
  });
});
server.listen(0, '127.0.0.1', () => {
  console.log(`listening http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
