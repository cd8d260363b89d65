import superjson from 'superjson';

const reservedKeys = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * True when superjson would send `value` exactly as it is: only strings, booleans, null, finite
 * numbers other than -0, dense arrays and plain objects, each object reached once. superjson's
 * walk copies every element and allocates a path per element (a tenth of a small call's time,
 * far more for an embedding response); this check allocates nothing per element.
 */
function isPlainJson(value: unknown, seen: Set<object>): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !(value === 0 && 1 / value < 0);
    case 'object': {
      if (value === null) return true;
      if (seen.has(value)) return false;
      seen.add(value);
      if (Array.isArray(value)) {
        for (let index = 0; index < value.length; index += 1) {
          if (!isPlainJson(value[index], seen)) return false;
        }
        return true;
      }
      const prototype: unknown = Object.getPrototypeOf(value);
      if (prototype !== Object.prototype && prototype !== null) return false;
      for (const key of Object.keys(value)) {
        if (reservedKeys.has(key)) return false;
        if (!isPlainJson((value as Record<string, unknown>)[key], seen)) return false;
      }
      return true;
    }
    case 'undefined':
    case 'bigint':
    case 'symbol':
    case 'function':
      return false;
  }
}

/**
 * superjson on the wire, byte for byte, without its cost where it would change nothing: plain
 * JSON goes out as `{ json }` directly, and inputs (freshly parsed, owned by the call) are not
 * copied before use. Anything superjson annotates (dates, undefined, NaN, shared objects...)
 * still goes through superjson itself.
 */
export const wireTransformer = {
  serialize: (value: unknown) =>
    isPlainJson(value, new Set()) ? { json: value } : superjson.serialize(value),
  deserialize: (payload: unknown) =>
    superjson.deserialize(payload as Parameters<typeof superjson.deserialize>[0], {
      inPlace: true,
    }),
} satisfies { serialize: (value: unknown) => unknown; deserialize: (payload: unknown) => unknown };
