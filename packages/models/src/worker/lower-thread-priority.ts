import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * Lowers the CPU priority of the calling thread (Linux: `nice` is per thread, and threads created
 * afterwards, such as onnxruntime's pool, inherit it). Inference then never delays the event
 * loop that answers HTTP and health probes. Returns false where the platform does not allow it.
 */
export function lowerThreadPriority(niceness: number): boolean {
  try {
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(threadId)) return false;
    setPriority(threadId, niceness);
    return true;
  } catch {
    return false;
  }
}
