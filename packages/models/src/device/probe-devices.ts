import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ExecutionDevice } from '../runtime/load-context.js';
import { workerScript } from '../worker/worker-script.js';

export interface DeviceProbe {
  /** GPU devices that created a session; the CPU is always available. */
  gpus: ExecutionDevice[];
  /** Why each probed device is or is not usable. */
  reasons: Record<string, string>;
}

const probeModel = fileURLToPath(new URL('../../assets/device-probe.onnx', import.meta.url));

/** `auto` considers CUDA only: WebGPU can land on a software adapter slower than the CPU. */
const autoCandidates: ExecutionDevice[] = ['cuda'];

let probe: Promise<DeviceProbe> | undefined;

/** Probes once per process, in a throwaway worker, which GPU providers really work here. */
export function probeDevices(timeoutMs = 30_000): Promise<DeviceProbe> {
  probe ??= new Promise<DeviceProbe>((resolve) => {
    const worker = new Worker(workerScript('device/device-probe-worker'), {
      workerData: { modelPath: probeModel, devices: autoCandidates },
      name: 'mlrpc device probe',
    });
    const done = (probeResult: DeviceProbe) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve(probeResult);
    };
    const timer = setTimeout(
      () => done({ gpus: [], reasons: { cuda: `probe gave no answer in ${timeoutMs} ms` } }),
      timeoutMs,
    );
    worker.once('message', (results: Record<string, { ok: boolean; reason: string }>) =>
      done({
        gpus: autoCandidates.filter((device) => results[device]?.ok),
        reasons: Object.fromEntries(
          Object.entries(results).map(([device, result]) => [device, result.reason]),
        ),
      }),
    );
    worker.once('error', (error) =>
      done({ gpus: [], reasons: { cuda: `probe failed: ${error.message}` } }),
    );
  });
  return probe;
}
