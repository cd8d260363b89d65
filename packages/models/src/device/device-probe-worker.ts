import { parentPort, workerData } from 'node:worker_threads';
import ort from 'onnxruntime-node';

// Throwaway worker: tries a GPU execution provider on a tiny model, so a broken CUDA or WebGPU
// set-up can never poison the process that later loads models on the CPU.
const { modelPath, devices } = workerData as { modelPath: string; devices: string[] };
ort.env.logLevel = 'fatal';

const results: Record<string, { ok: boolean; reason: string }> = {};
for (const device of devices) {
  try {
    const session = await ort.InferenceSession.create(modelPath, { executionProviders: [device] });
    await session.release();
    results[device] = { ok: true, reason: `${device} session created` };
  } catch (error) {
    results[device] = {
      ok: false,
      reason: error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error),
    };
  }
}
parentPort?.postMessage(results);
