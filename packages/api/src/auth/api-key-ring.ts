import { createHash } from 'node:crypto';
import type { ApiKeyEntry, Scope } from '@mlrpc/schema';

/** Who is calling, once their key checked out. */
export interface Caller {
  /** The key's id: jobs belong to it, rate limits count per it. */
  id: string;
  scopes: ReadonlySet<Scope>;
}

export type Authentication = Caller | 'missing' | 'invalid';

/** Keys are kept and compared only as SHA-256 digests: a leaked config leaks no usable key. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The configured API keys. */
export class ApiKeyRing {
  private readonly byDigest = new Map<string, Caller>();

  constructor(entries: readonly ApiKeyEntry[]) {
    const ids = new Set<string>();
    for (const entry of entries) {
      if (ids.has(entry.id)) throw new Error(`API key id "${entry.id}" appears twice`);
      if (this.byDigest.has(entry.sha256)) {
        throw new Error(`API key "${entry.id}" has the same key as another`);
      }
      ids.add(entry.id);
      this.byDigest.set(entry.sha256, { id: entry.id, scopes: new Set(entry.scopes) });
    }
  }

  /** The caller a presented key belongs to. */
  authenticate(key: string | undefined | null): Authentication {
    if (!key) return 'missing';
    return this.byDigest.get(hashApiKey(key)) ?? 'invalid';
  }
}

/** Admin keys may do everything; other keys what their scopes name. */
export function allows(caller: Caller, scope: Scope): boolean {
  return caller.scopes.has('admin') || caller.scopes.has(scope);
}
