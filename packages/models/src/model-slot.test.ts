import { describe, expect, it } from 'vitest';
import type { EmbeddingModel, ExecutionDevice } from './backend/model-backend.js';
import type { DevicePlan } from './device.js';
import { modelEntrySchema, type ModelEntry } from './model-config.js';
import { ModelError } from './model-error.js';
import { ModelSlot, type SlotLoader } from './model-slot.js';

/** The plan the real planner makes for explicit devices, without probing GPUs. */
const planDevices = (device: ModelEntry['device']): Promise<DevicePlan> =>
  Promise.resolve({
    candidates: device === 'cuda' || device === 'webgpu' ? [device, 'cpu'] : ['cpu'],
    note: null,
  });
const slotOptions = (loadRetryDelayMs: number) => ({ loadRetryDelayMs, planDevices });

function entry(overrides: Partial<ModelEntry> = {}): ModelEntry {
  return modelEntrySchema.parse({ id: 'm', task: 'feature-extraction', source: 's', ...overrides });
}

/** A recording loader: counts loads and disposals, fails on the devices it is told to. */
function recordingLoader(options: { failOn?: ExecutionDevice[]; delayMs?: number } = {}) {
  const calls = { loads: [] as ExecutionDevice[], disposed: 0 };
  const loader: SlotLoader = async (_entry, { device }) => {
    calls.loads.push(device);
    await new Promise((resolve) => setTimeout(resolve, options.delayMs ?? 5));
    if (options.failOn?.includes(device)) throw new Error(`no ${device} here`);
    const model: EmbeddingModel = {
      task: 'feature-extraction',
      embed: () => Promise.resolve({ data: new Float32Array([1]), dimension: 1, tokens: [1] }),
      dispose: () => {
        calls.disposed += 1;
        return Promise.resolve();
      },
    };
    return model;
  };
  return { calls, loader };
}

describe('ModelSlot', () => {
  it('loads lazily, once, however many callers arrive together', async () => {
    const { calls, loader } = recordingLoader({ delayMs: 20 });
    const slot = new ModelSlot(entry(), loader, slotOptions(0));
    expect(slot.currentState).toBe('unloaded');
    const models = await Promise.all([slot.acquire(), slot.acquire(), slot.acquire()]);
    expect(new Set(models).size).toBe(1);
    expect(calls.loads).toEqual(['cpu']);
    expect(slot.currentState).toBe('ready');
    await slot.acquire();
    expect(calls.loads).toHaveLength(1);
  });

  it('refuses calls for the retry delay after a failed load, then retries', async () => {
    const { calls, loader } = recordingLoader({ failOn: ['cpu'] });
    const slot = new ModelSlot(entry(), loader, slotOptions(60_000));
    await expect(slot.acquire()).rejects.toMatchObject({ code: 'MODEL_LOAD_FAILED' });
    const refused = await slot.acquire().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ModelError);
    expect((refused as ModelError).retryAfterSeconds).toBeGreaterThan(0);
    expect(calls.loads).toHaveLength(1);
    expect(
      slot.info({ isDefaultVersion: true, isTaskDefault: true, trafficShare: null }),
    ).toMatchObject({
      state: 'failed',
      error: 'cpu: no cpu here',
    });

    const retrying = new ModelSlot(entry(), loader, slotOptions(0));
    await expect(retrying.acquire()).rejects.toThrow();
    await expect(retrying.acquire()).rejects.toThrow();
    expect(calls.loads).toHaveLength(3);
  });

  it('falls back from a missing GPU to CPU and says so', async () => {
    const { calls, loader } = recordingLoader({ failOn: ['cuda'] });
    const slot = new ModelSlot(entry({ device: 'cuda' }), loader, slotOptions(0));
    await slot.acquire();
    expect(calls.loads).toEqual(['cuda', 'cpu']);
    expect(slot.fellBack).toBe(true);
    const info = slot.info({ isDefaultVersion: true, isTaskDefault: true, trafficShare: null });
    expect(info.activeDevice).toBe('cpu');
    expect(info.deviceNote).toContain('no cuda here');
  });

  it('unloads only after running calls finish', async () => {
    const { calls, loader } = recordingLoader();
    const slot = new ModelSlot(entry(), loader, slotOptions(0));
    let finish: () => void = () => undefined;
    const running = slot.run(() => new Promise<void>((resolve) => (finish = resolve)));
    await new Promise((resolve) => setTimeout(resolve, 20));
    await slot.unload();
    expect(slot.currentState).toBe('unloaded');
    expect(calls.disposed).toBe(0);
    finish();
    await running;
    expect(calls.disposed).toBe(1);
    await slot.acquire();
    expect(calls.loads).toHaveLength(2);
  });
});

describe('ModelSlot.whenIdle', () => {
  it('resolves once the running calls have finished', async () => {
    const { loader } = recordingLoader();
    const slot = new ModelSlot(entry(), loader, slotOptions(0));
    await slot.whenIdle();
    let finish: () => void = () => undefined;
    const running = slot.run(() => new Promise<void>((resolve) => (finish = resolve)));
    await new Promise((resolve) => setTimeout(resolve, 20));
    let idle = false;
    const waiting = slot.whenIdle().then(() => (idle = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(idle).toBe(false);
    finish();
    await running;
    await waiting;
    expect(idle).toBe(true);
  });
});
