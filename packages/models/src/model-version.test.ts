import { describe, expect, it } from 'vitest';
import type { DevicePlan } from './device/plan-devices.js';
import { modelEntrySchema, type ModelEntry } from './model-config.js';
import { ModelError } from './model-error.js';
import { ModelVersion, type VersionLoader } from './model-version.js';
import type { ExecutionDevice } from './runtime/load-context.js';
import type { ServedModel } from './serving/served-model.js';

/** The plan the real planner makes for explicit devices, without probing GPUs. */
const planDevices = (device: ModelEntry['device']): Promise<DevicePlan> =>
  Promise.resolve({
    candidates: device === 'cuda' || device === 'webgpu' ? [device, 'cpu'] : ['cpu'],
    note: null,
  });
const versionOptions = (loadRetryDelayMs: number) => ({ loadRetryDelayMs, planDevices });

function entry(overrides: Partial<ModelEntry> = {}): ModelEntry {
  return modelEntrySchema.parse({ id: 'm', task: 'feature-extraction', source: 's', ...overrides });
}

/** A recording loader: counts loads and disposals, fails on the devices it is told to. */
function recordingLoader(options: { failOn?: ExecutionDevice[]; delayMs?: number } = {}) {
  const calls = { loads: [] as ExecutionDevice[], disposed: 0 };
  const loader: VersionLoader = async (_entry, { device }) => {
    calls.loads.push(device);
    await new Promise((resolve) => setTimeout(resolve, options.delayMs ?? 5));
    if (options.failOn?.includes(device)) throw new Error(`no ${device} here`);
    const model: ServedModel = {
      metadata: undefined,
      submit: () =>
        Promise.resolve({
          response: undefined,
          execution: { batchSize: 1, queueTimeMs: 0, inferenceTimeMs: 0 },
        }),
      queueDepth: () => 0,
      running: () => 0,
      dispose: () => {
        calls.disposed += 1;
        return Promise.resolve();
      },
    };
    return model;
  };
  return { calls, loader };
}

describe('ModelVersion', () => {
  it('loads lazily, once, however many callers arrive together', async () => {
    const { calls, loader } = recordingLoader({ delayMs: 20 });
    const version = new ModelVersion(entry(), loader, versionOptions(0));
    expect(version.currentState).toBe('unloaded');
    const models = await Promise.all([version.acquire(), version.acquire(), version.acquire()]);
    expect(new Set(models).size).toBe(1);
    expect(calls.loads).toEqual(['cpu']);
    expect(version.currentState).toBe('ready');
    await version.acquire();
    expect(calls.loads).toHaveLength(1);
  });

  it('refuses calls for the retry delay after a failed load, then retries', async () => {
    const { calls, loader } = recordingLoader({ failOn: ['cpu'] });
    const version = new ModelVersion(entry(), loader, versionOptions(60_000));
    await expect(version.acquire()).rejects.toMatchObject({ code: 'MODEL_LOAD_FAILED' });
    const refused = await version.acquire().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ModelError);
    expect((refused as ModelError).retryAfterSeconds).toBeGreaterThan(0);
    expect(calls.loads).toHaveLength(1);
    expect(
      version.info({ isDefaultVersion: true, isTaskDefault: true, trafficShare: null }),
    ).toMatchObject({
      state: 'failed',
      error: 'cpu: no cpu here',
    });

    const retrying = new ModelVersion(entry(), loader, versionOptions(0));
    await expect(retrying.acquire()).rejects.toThrow();
    await expect(retrying.acquire()).rejects.toThrow();
    expect(calls.loads).toHaveLength(3);
  });

  it('falls back from a missing GPU to CPU and says so', async () => {
    const { calls, loader } = recordingLoader({ failOn: ['cuda'] });
    const version = new ModelVersion(entry({ device: 'cuda' }), loader, versionOptions(0));
    await version.acquire();
    expect(calls.loads).toEqual(['cuda', 'cpu']);
    expect(version.fellBack).toBe(true);
    const info = version.info({ isDefaultVersion: true, isTaskDefault: true, trafficShare: null });
    expect(info.activeDevice).toBe('cpu');
    expect(info.deviceNote).toContain('no cuda here');
  });

  it('unloads only after running calls finish', async () => {
    const { calls, loader } = recordingLoader();
    const version = new ModelVersion(entry(), loader, versionOptions(0));
    let finish: () => void = () => undefined;
    const running = version.run(() => new Promise<void>((resolve) => (finish = resolve)));
    await new Promise((resolve) => setTimeout(resolve, 20));
    await version.unload();
    expect(version.currentState).toBe('unloaded');
    expect(calls.disposed).toBe(0);
    finish();
    await running;
    expect(calls.disposed).toBe(1);
    await version.acquire();
    expect(calls.loads).toHaveLength(2);
  });
});

describe('ModelVersion.whenIdle', () => {
  it('resolves once the running calls have finished', async () => {
    const { loader } = recordingLoader();
    const version = new ModelVersion(entry(), loader, versionOptions(0));
    await version.whenIdle();
    let finish: () => void = () => undefined;
    const running = version.run(() => new Promise<void>((resolve) => (finish = resolve)));
    await new Promise((resolve) => setTimeout(resolve, 20));
    let idle = false;
    const waiting = version.whenIdle().then(() => (idle = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(idle).toBe(false);
    finish();
    await running;
    await waiting;
    expect(idle).toBe(true);
  });
});
