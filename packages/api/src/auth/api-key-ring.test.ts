import { describe, expect, it } from 'vitest';
import { allows, ApiKeyRing, hashApiKey } from './api-key-ring.js';

const ring = new ApiKeyRing([
  { id: 'alice', sha256: hashApiKey('alice-secret'), scopes: ['infer'] },
  { id: 'ops', sha256: hashApiKey('ops-secret'), scopes: ['admin'] },
]);

describe('ApiKeyRing', () => {
  it('finds the caller of a known key and tells missing from wrong keys', () => {
    expect(ring.authenticate('alice-secret')).toMatchObject({ id: 'alice' });
    expect(ring.authenticate(undefined)).toBe('missing');
    expect(ring.authenticate('')).toBe('missing');
    expect(ring.authenticate('alice-secret ')).toBe('invalid');
  });

  it('lets admin do everything and others only their scopes', () => {
    const alice = ring.authenticate('alice-secret');
    const ops = ring.authenticate('ops-secret');
    if (typeof alice === 'string' || typeof ops === 'string') throw new Error('unknown key');
    expect(allows(alice, 'infer')).toBe(true);
    expect(allows(alice, 'jobs')).toBe(false);
    expect(allows(ops, 'jobs')).toBe(true);
  });

  it('refuses a configuration with a repeated id or key', () => {
    const entry = { id: 'a', sha256: hashApiKey('k'), scopes: ['infer' as const] };
    expect(() => new ApiKeyRing([entry, { ...entry, sha256: hashApiKey('j') }])).toThrow(/twice/);
    expect(() => new ApiKeyRing([entry, { ...entry, id: 'b' }])).toThrow(/same key/);
  });
});
