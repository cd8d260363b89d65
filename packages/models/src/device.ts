import type { Device } from '@mlrpc/schema';
import type { ExecutionDevice } from './backend/model-backend.js';

/**
 * The devices to try, best first, for a configured device. CPU always closes the list so a
 * missing GPU provider degrades a model instead of failing it; the fallback is recorded.
 * `auto` stays on CPU until a GPU has been proven in a throwaway probe (see the engine issue).
 */
export function deviceCandidates(device: Device): ExecutionDevice[] {
  switch (device) {
    case 'cpu':
    case 'auto':
      return ['cpu'];
    case 'cuda':
      return ['cuda', 'cpu'];
    case 'webgpu':
      return ['webgpu', 'cpu'];
  }
}
