import { createHash } from 'node:crypto';
import type { ModelVersion } from './model-version.js';

/** A stable point in [0, 1) for a key: the same caller always lands in the same bucket. */
function unitHash(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0) / 2 ** 32;
}

function weighted(versions: ModelVersion[]): ModelVersion[] {
  return versions.filter((version) => (version.entry.weight ?? 0) > 0);
}

/** The version marked default, else the first listed. */
export function defaultVersion(versions: ModelVersion[]): ModelVersion {
  const first = versions[0];
  if (!first) throw new Error('a model needs at least one version');
  return versions.find((version) => version.entry.default) ?? first;
}

/**
 * Picks the version for an unpinned call: weighted A/B when any version has a weight (sticky
 * per routing key, random without one), else the default version.
 */
export function routeVersion(
  versions: ModelVersion[],
  routingKey: string | undefined,
): ModelVersion {
  const candidates = weighted(versions);
  if (candidates.length === 0) return defaultVersion(versions);
  const total = candidates.reduce((sum, version) => sum + (version.entry.weight ?? 0), 0);
  const id = candidates[0]?.entry.id ?? '';
  let point =
    (routingKey === undefined ? Math.random() : unitHash(`${id}\u0000${routingKey}`)) * total;
  for (const version of candidates) {
    point -= version.entry.weight ?? 0;
    if (point < 0) return version;
  }
  return candidates.at(-1) as ModelVersion;
}

/** Each version's share of unpinned traffic, or null when the model does not split traffic. */
export function trafficShare(versions: ModelVersion[], version: ModelVersion): number | null {
  const candidates = weighted(versions);
  if (candidates.length === 0) return null;
  const total = candidates.reduce((sum, candidate) => sum + (candidate.entry.weight ?? 0), 0);
  return (version.entry.weight ?? 0) / total;
}
