import { describe, expect, it } from 'vitest';
import { modelEntrySchema } from './model-config.js';
import { ModelVersion } from './model-version.js';
import { routeVersion, trafficShare } from './version-router.js';

const configured = (version: string, weight?: number) =>
  new ModelVersion(
    modelEntrySchema.parse({
      id: 'm',
      version,
      task: 'tensor',
      source: 's',
      ...(weight === undefined ? {} : { weight }),
    }),
    () => Promise.reject(new Error('not loaded in this test')),
    {
      loadRetryDelayMs: 0,
      planDevices: () => Promise.resolve({ candidates: ['cpu'], note: null }),
    },
  );

describe('routeVersion', () => {
  it('serves the default version when no version has a weight', () => {
    const versions = [configured('1'), configured('2')];
    expect(routeVersion(versions, undefined)).toBe(versions[0]);
    expect(trafficShare(versions, versions[1] as ModelVersion)).toBeNull();
  });

  it('splits by weight and keeps each routing key on one version', () => {
    const versions = [configured('a', 3), configured('b', 1), configured('c', 0)];
    const counts = new Map<string, number>();
    for (let key = 0; key < 4000; key += 1) {
      const chosen = routeVersion(versions, `user-${key}`);
      expect(routeVersion(versions, `user-${key}`)).toBe(chosen);
      counts.set(chosen.entry.version, (counts.get(chosen.entry.version) ?? 0) + 1);
    }
    expect((counts.get('a') ?? 0) / 4000).toBeGreaterThan(0.7);
    expect((counts.get('a') ?? 0) / 4000).toBeLessThan(0.8);
    expect(counts.has('c')).toBe(false);
    expect(versions.map((version) => trafficShare(versions, version))).toEqual([0.75, 0.25, 0]);
  });
});
