import type { Device } from '@mlrpc/schema';
import type { ExecutionDevice } from '../runtime/load-context.js';
import { probeDevices } from './probe-devices.js';

export interface DevicePlan {
  /** Devices to try, best first; the CPU always closes the list. */
  candidates: ExecutionDevice[];
  /** Why this plan, for `models.list` and health. */
  note: string | null;
}

/**
 * Turns a configured device into devices to try. A GPU that fails to load falls back to the CPU
 * and the fallback is recorded; `auto` trusts only a GPU the throwaway probe proved.
 */
export async function planDevices(device: Device): Promise<DevicePlan> {
  switch (device) {
    case 'cpu':
      return { candidates: ['cpu'], note: null };
    case 'cuda':
    case 'webgpu':
      return { candidates: [device, 'cpu'], note: null };
    case 'auto': {
      const probe = await probeDevices();
      const gpu = probe.gpus[0];
      if (gpu) return { candidates: [gpu, 'cpu'], note: `auto chose ${gpu}` };
      const reasons = Object.entries(probe.reasons).map(([name, reason]) => `${name}: ${reason}`);
      return {
        candidates: ['cpu'],
        note: `auto chose cpu (${reasons.join('; ') || 'no GPU probed'})`,
      };
    }
  }
}
