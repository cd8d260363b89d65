import type { NumberBounds } from './number-bounds.js';

/** A JSON Schema compiled to what the generator can enforce character by character. */
export type JsonShape =
  | {
      type: 'object';
      /** Declared properties, generated in this order (optional ones may be left out). */
      properties: Array<{ name: string; key: string; shape: JsonShape; required: boolean }>;
      /** Keys of any name are allowed with values of this shape (a free JSON object). */
      additional: JsonShape | null;
    }
  | { type: 'array'; items: JsonShape; minItems: number; maxItems: number }
  | { type: 'string'; minLength: number; maxLength: number; values: string[] | null }
  /** bounds: minimum/maximum (such numbers are written without an exponent). */
  | { type: 'number'; integer: boolean; bounds: NumberBounds | null }
  /** true, false, null, and enum or const values that are not strings, as JSON text. */
  | { type: 'literal'; texts: string[] }
  | { type: 'union'; options: JsonShape[] };

/** Any JSON value (JSON mode, or a schema of `{}`): one shared, self-referencing shape. */
export const anyJson: JsonShape = (() => {
  const union: { type: 'union'; options: JsonShape[] } = { type: 'union', options: [] };
  union.options.push(
    { type: 'object', properties: [], additional: union },
    { type: 'array', items: union, minItems: 0, maxItems: Number.POSITIVE_INFINITY },
    { type: 'string', minLength: 0, maxLength: Number.POSITIVE_INFINITY, values: null },
    { type: 'number', integer: false, bounds: null },
    { type: 'literal', texts: ['true', 'false', 'null'] },
  );
  return union;
})();

/** An object of any keys and values: what `response_format: json_object` asks for. */
export const anyJsonObject: JsonShape = { type: 'object', properties: [], additional: anyJson };
