import type { HealthOutput, ModelInfo, ModelTask } from '@mlrpc/schema';
import type { DeviceProbe } from './device/probe-devices.js';
import type { ModelConfig } from './model-config.js';
import { ModelError } from './model-error.js';
import type { ModelSelection } from './model-requests.js';
import type { ModelSlot } from './model-slot.js';
import { defaultVersion, routeVersion, trafficShare } from './version-router.js';

export type ModelsHealth = Omit<HealthOutput, 'version' | 'uptimeSeconds'>;

/**
 * The configured model versions and the rules that pick one: task defaults, default versions,
 * A/B routing, pins. Also what the registry as a whole reports: info, readiness and health.
 */
export class ModelRegistry {
  constructor(
    private readonly config: ModelConfig,
    readonly slots: readonly ModelSlot[],
  ) {}

  /** The version that serves a call for `task`, or the error that says why none can. */
  route(task: ModelTask, selection: ModelSelection): ModelSlot {
    const id = selection.model ?? this.config.defaults[task];
    if (id === undefined) {
      throw new ModelError('MODEL_NOT_FOUND', `no model given and no default model for ${task}`);
    }
    const slot =
      selection.version === undefined
        ? routeVersion(this.versionsOf(id), selection.routingKey)
        : this.find(id, selection.version);
    if (slot.entry.task !== task) {
      throw new ModelError('TASK_MISMATCH', `model "${id}" serves ${slot.entry.task}, not ${task}`);
    }
    return slot;
  }

  versionsOf(id: string): ModelSlot[] {
    const versions = this.slots.filter((slot) => slot.entry.id === id);
    if (versions.length === 0) {
      const known = [...new Set(this.slots.map((slot) => slot.entry.id))].join(', ');
      throw new ModelError('MODEL_NOT_FOUND', `unknown model "${id}"; known: ${known || 'none'}`);
    }
    return versions;
  }

  /** One version by id, the default version when none is named. */
  find(id: string, version: string | undefined): ModelSlot {
    const versions = this.versionsOf(id);
    if (version === undefined) return defaultVersion(versions);
    const slot = versions.find((candidate) => candidate.entry.version === version);
    if (!slot) {
      const known = versions.map((candidate) => candidate.entry.version).join(', ');
      throw new ModelError(
        'VERSION_NOT_FOUND',
        `model "${id}" has no version "${version}"; known: ${known}`,
      );
    }
    return slot;
  }

  /** The version each task uses when a call names no model. */
  defaultSlots(): ModelSlot[] {
    return Object.values(this.config.defaults).map((id) => defaultVersion(this.versionsOf(id)));
  }

  infoOf(slot: ModelSlot): ModelInfo {
    const versions = this.versionsOf(slot.entry.id);
    const isDefaultVersion = defaultVersion(versions) === slot;
    return slot.info({
      isDefaultVersion,
      isTaskDefault: isDefaultVersion && this.config.defaults[slot.entry.task] === slot.entry.id,
      trafficShare: trafficShare(versions, slot),
    });
  }

  /** Ready when every task default is loaded: what an orchestrator's readiness probe asks. */
  isReady(): boolean {
    const defaults = this.defaultSlots();
    return defaults.length > 0 && defaults.every((slot) => slot.currentState === 'ready');
  }

  /** Unhealthy when no task default can serve; degraded on failed loads or GPU fallbacks. */
  health(probe: DeviceProbe | undefined): ModelsHealth {
    const failed = this.slots.some((slot) => slot.currentState === 'failed');
    const usableDefaults = this.defaultSlots().filter((slot) => slot.currentState !== 'failed');
    const status =
      usableDefaults.length === 0
        ? 'unhealthy'
        : failed || this.slots.some((slot) => slot.fellBack)
          ? 'degraded'
          : 'healthy';
    return {
      status,
      gpuAvailable:
        (probe?.gpus.length ?? 0) > 0 ||
        this.slots.some((slot) => slot.device === 'cuda' || slot.device === 'webgpu'),
      models: this.slots.map((slot) => {
        const info = this.infoOf(slot);
        return {
          id: info.id,
          version: info.version,
          task: info.task,
          state: info.state,
          loaded: info.state === 'ready',
          ready: info.state === 'ready',
          device: info.activeDevice,
          error: info.error,
        };
      }),
    };
  }

  /** Keeps at most `limit` versions loaded by unloading the least recently used idle ones. */
  async enforceLoadedLimit(justLoaded: string, limit: number): Promise<void> {
    const loaded = this.slots.filter(
      (slot) => slot.currentState === 'ready' || slot.key === justLoaded,
    );
    const excess = loaded.length - limit;
    if (excess <= 0) return;
    const evictable = loaded
      .filter((slot) => slot.key !== justLoaded && !slot.isBusy)
      .sort((a, b) => a.lastUsedAt - b.lastUsedAt)
      .slice(0, excess);
    await Promise.all(evictable.map((slot) => slot.unload()));
  }
}
