import { createHash } from 'node:crypto';
import type { ModelSlot } from './model-slot.js';

/** A stable point in [0, 1) for a key: the same caller always lands in the same bucket. */
function unitHash(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0) / 2 ** 32;
}

function weighted(versions: ModelSlot[]): ModelSlot[] {
  return versions.filter((slot) => (slot.entry.weight ?? 0) > 0);
}

/** The version marked default, else the first listed. */
export function defaultVersion(versions: ModelSlot[]): ModelSlot {
  const first = versions[0];
  if (!first) throw new Error('a model needs at least one version');
  return versions.find((slot) => slot.entry.default) ?? first;
}

/**
 * Picks the version for an unpinned call: weighted A/B when any version has a weight (sticky
 * per routing key, random without one), else the default version.
 */
export function routeVersion(versions: ModelSlot[], routingKey: string | undefined): ModelSlot {
  const candidates = weighted(versions);
  if (candidates.length === 0) return defaultVersion(versions);
  const total = candidates.reduce((sum, slot) => sum + (slot.entry.weight ?? 0), 0);
  const id = candidates[0]?.entry.id ?? '';
  let point =
    (routingKey === undefined ? Math.random() : unitHash(`${id}\u0000${routingKey}`)) * total;
  for (const slot of candidates) {
    point -= slot.entry.weight ?? 0;
    if (point < 0) return slot;
  }
  return candidates.at(-1) as ModelSlot;
}

/** Each version's share of unpinned traffic, or null when the model does not split traffic. */
export function trafficShare(versions: ModelSlot[], slot: ModelSlot): number | null {
  const candidates = weighted(versions);
  if (candidates.length === 0) return null;
  const total = candidates.reduce((sum, candidate) => sum + (candidate.entry.weight ?? 0), 0);
  return (slot.entry.weight ?? 0) / total;
}
