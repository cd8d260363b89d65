import type { InferenceSession } from 'onnxruntime-node';
import type { ModelEntry } from '../model-config.js';

/**
 * onnxruntime settings shared by every backend. Idle intra-op threads normally spin-wait for the
 * next call; on a server that also answers HTTP on the same cores, that spinning starves the event
 * loop (health probes, queueing), so it is off unless the model entry asks for it (`spinWait`).
 */
export function onnxSessionOptions(entry: ModelEntry): InferenceSession.SessionOptions {
  const spinning = entry.spinWait ? '1' : '0';
  return {
    ...(entry.threads === undefined
      ? {}
      : { intraOpNumThreads: entry.threads, interOpNumThreads: 1 }),
    extra: {
      session: { intra_op: { allow_spinning: spinning }, inter_op: { allow_spinning: spinning } },
    },
  };
}
