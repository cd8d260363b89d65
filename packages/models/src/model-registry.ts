import type { HealthOutput, ModelInfo, ModelTask } from '@mlrpc/schema';
import type { DeviceProbe } from './device/probe-devices.js';
import type { ModelConfig } from './model-config.js';
import { ModelError } from './model-error.js';
import type { ModelVersion } from './model-version.js';
import { defaultVersion, routeVersion, trafficShare } from './version-router.js';

/** Which model version a call wants; unset fields fall back to defaults and A/B routing. */
export interface ModelSelection {
  model?: string | undefined;
  version?: string | undefined;
  routingKey?: string | undefined;
}

export type ModelsHealth = Omit<HealthOutput, 'version' | 'uptimeSeconds'>;

/**
 * The configured model versions and the rules that pick one: task defaults, default versions,
 * A/B routing, pins. Also what the registry as a whole reports: info, readiness and health.
 */
export class ModelRegistry {
  constructor(
    private readonly config: ModelConfig,
    readonly all: readonly ModelVersion[],
  ) {}

  /**
   * The version that serves a call for `task` (or for a task whose models can stand in for it),
   * or the error that says why none can. This is the one place a call's task is checked.
   */
  route(task: ModelTask, selection: ModelSelection, standIns: ModelTask[] = []): ModelVersion {
    const id = selection.model ?? this.config.defaults[task];
    if (id === undefined) {
      throw new ModelError('MODEL_NOT_FOUND', `no model given and no default model for ${task}`);
    }
    const version =
      selection.version === undefined
        ? routeVersion(this.versionsOf(id), selection.routingKey)
        : this.find(id, selection.version);
    if (version.entry.task !== task && !standIns.includes(version.entry.task)) {
      throw new ModelError(
        'TASK_MISMATCH',
        `model "${id}" serves ${version.entry.task}, not ${task}`,
      );
    }
    return version;
  }

  /** The task a model id serves, or the task's default model when no id is given. */
  taskOf(id: string): ModelTask {
    const [first] = this.versionsOf(id) as [ModelVersion];
    return first.entry.task;
  }

  /** Whether a call for `task` without a model name has a default to go to. */
  hasDefault(task: ModelTask): boolean {
    return this.config.defaults[task] !== undefined;
  }

  versionsOf(id: string): ModelVersion[] {
    const versions = this.all.filter((configured) => configured.entry.id === id);
    if (versions.length === 0) {
      const known = [...new Set(this.all.map((configured) => configured.entry.id))].join(', ');
      throw new ModelError('MODEL_NOT_FOUND', `unknown model "${id}"; known: ${known || 'none'}`);
    }
    return versions;
  }

  /** One version by id, the default version when none is named. */
  find(id: string, version: string | undefined): ModelVersion {
    const versions = this.versionsOf(id);
    if (version === undefined) return defaultVersion(versions);
    const configured = versions.find((candidate) => candidate.entry.version === version);
    if (!configured) {
      const known = versions.map((candidate) => candidate.entry.version).join(', ');
      throw new ModelError(
        'VERSION_NOT_FOUND',
        `model "${id}" has no version "${version}"; known: ${known}`,
      );
    }
    return configured;
  }

  /** The version each task uses when a call names no model. */
  defaultVersions(): ModelVersion[] {
    return Object.values(this.config.defaults).map((id) => defaultVersion(this.versionsOf(id)));
  }

  /** The task defaults loaded at start-up; readiness waits for these only. */
  preloadedVersions(): ModelVersion[] {
    return this.defaultVersions().filter((version) => version.entry.preload);
  }

  infoOf(configured: ModelVersion): ModelInfo {
    const versions = this.versionsOf(configured.entry.id);
    const isDefaultVersion = defaultVersion(versions) === configured;
    return configured.info({
      isDefaultVersion,
      isTaskDefault:
        isDefaultVersion && this.config.defaults[configured.entry.task] === configured.entry.id,
      trafficShare: trafficShare(versions, configured),
    });
  }

  /** Ready when every preloaded task default is loaded: what a readiness probe asks. */
  isReady(): boolean {
    const preloaded = this.preloadedVersions();
    return (
      preloaded.length > 0 && preloaded.every((configured) => configured.currentState === 'ready')
    );
  }

  /**
   * Unhealthy when no task default loaded at start can serve (lazy defaults have not been tried);
   * degraded on failed loads or GPU fallbacks.
   */
  health(probe: DeviceProbe | undefined): ModelsHealth {
    const failed = this.all.some((configured) => configured.currentState === 'failed');
    const preloaded = this.preloadedVersions();
    const usableDefaults = (preloaded.length > 0 ? preloaded : this.defaultVersions()).filter(
      (configured) => configured.currentState !== 'failed',
    );
    const status =
      usableDefaults.length === 0
        ? 'unhealthy'
        : failed || this.all.some((configured) => configured.fellBack)
          ? 'degraded'
          : 'healthy';
    return {
      status,
      gpuAvailable:
        (probe?.gpus.length ?? 0) > 0 ||
        this.all.some(
          (configured) => configured.device === 'cuda' || configured.device === 'webgpu',
        ),
      models: this.all.map((configured) => {
        const info = this.infoOf(configured);
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
    const loaded = this.all.filter(
      (configured) => configured.currentState === 'ready' || configured.key === justLoaded,
    );
    const excess = loaded.length - limit;
    if (excess <= 0) return;
    const evictable = loaded
      .filter((configured) => configured.key !== justLoaded && !configured.isBusy)
      .sort((a, b) => a.lastUsedAt - b.lastUsedAt)
      .slice(0, excess);
    await Promise.all(evictable.map((configured) => configured.unload()));
  }
}
