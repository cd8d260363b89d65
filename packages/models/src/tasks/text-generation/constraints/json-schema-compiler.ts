import { ModelError } from '../../../model-error.js';
import { anyJson, type JsonShape } from './json-shape.js';
import type { NumberBounds } from './number-bounds.js';

type Schema = Record<string, unknown> | boolean;

/** Keywords that only describe (title, examples...) and change nothing the output must be. */
const annotations = new Set([
  '$schema',
  '$id',
  '$comment',
  'title',
  'description',
  'default',
  'examples',
  'deprecated',
  'readOnly',
  'writeOnly',
  '$defs',
  'definitions',
  'additionalProperties',
  'strict',
  // As JSON Schema 2020-12 has it by default: an annotation, not asserted.
  'format',
]);

/** Keywords enforced while generating. Anything else is refused by name, never ignored. */
const enforced = new Set([
  'type',
  'properties',
  'required',
  'items',
  'minItems',
  'maxItems',
  'enum',
  'const',
  'anyOf',
  'oneOf',
  'allOf',
  'minLength',
  'maxLength',
  '$ref',
  'nullable',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
]);

/** What generation supports, for error messages and documentation. */
export const supportedSchemaKeywords = [...enforced].sort().join(', ');

/** Thrown for a schema generation cannot enforce; `label` says whose schema it is. */
export class SchemaRefusal extends Error {}

function refuse(path: string, message: string): never {
  throw new SchemaRefusal(`${path || '(root)'}: ${message}`);
}

const count = (value: unknown, fallback: number) =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : fallback;

/**
 * Compiles a JSON Schema into a shape the generator enforces token by token: objects (required
 * and optional properties, in declared order), arrays with minItems/maxItems, strings with
 * enum/const and minLength/maxLength, numbers and integers with minimum/maximum (exclusive
 * too), booleans, null, anyOf/oneOf (as any of), allOf of one schema, and local $refs. `format`
 * is an annotation (as JSON Schema 2020-12 has it by default). Keywords it cannot enforce
 * (pattern, multipleOf, uniqueItems, not, if/then/else, patternProperties...) are refused by name.
 */
export function compileJsonSchema(schema: unknown, label = 'response schema'): JsonShape {
  try {
    return compileRoot(schema);
  } catch (error) {
    if (!(error instanceof SchemaRefusal)) throw error;
    throw new ModelError('INVALID_INPUT', `${label} at ${error.message}`);
  }
}

function compileRoot(schema: unknown): JsonShape {
  const root = (schema ?? {}) as Schema;
  const definitions = new Map<string, JsonShape>();
  const resolving = new Map<string, { type: 'union'; options: JsonShape[] }>();

  const resolve = (reference: string, path: string): JsonShape => {
    const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(reference);
    if (reference === '#') return compile(root, path);
    if (!match) refuse(path, `$ref "${reference}" is not a local definition`);
    const [, group = '', name = ''] = match;
    const compiled = definitions.get(reference);
    if (compiled) return compiled;
    // A recursive definition refers to itself: hand out a union filled in once compiled.
    const pending = resolving.get(reference);
    if (pending) return pending;
    const placeholder: { type: 'union'; options: JsonShape[] } = { type: 'union', options: [] };
    resolving.set(reference, placeholder);
    const target = (typeof root === 'object' ? root[group] : undefined) as
      Record<string, Schema> | undefined;
    const definition = target?.[name.replace(/~1/g, '/').replace(/~0/g, '~')];
    if (definition === undefined) refuse(path, `$ref "${reference}" names no definition`);
    const shape = compile(definition, `${path}.$ref`);
    placeholder.options.push(shape);
    definitions.set(reference, placeholder);
    resolving.delete(reference);
    return placeholder;
  };

  const compile = (node: Schema, path: string): JsonShape => {
    if (node === true) return anyJson;
    if (node === false) refuse(path, 'false allows no value');
    if (typeof node !== 'object' || node === null) refuse(path, 'a schema must be an object');
    for (const keyword of Object.keys(node)) {
      if (!enforced.has(keyword) && !annotations.has(keyword)) {
        refuse(
          path,
          `"${keyword}" cannot be enforced while generating; supported: ${supportedSchemaKeywords}`,
        );
      }
    }
    if (typeof node.$ref === 'string') return resolve(node.$ref, path);
    if ('const' in node) return valuesShape([node.const], path);
    if (Array.isArray(node.enum)) return valuesShape(node.enum, path);
    for (const keyword of ['anyOf', 'oneOf'] as const) {
      const options = node[keyword];
      if (Array.isArray(options)) {
        if (options.length === 0) refuse(path, `${keyword} is empty`);
        return {
          type: 'union',
          options: options.map((option, index) =>
            compile(option as Schema, `${path}.${keyword}[${index}]`),
          ),
        };
      }
    }
    if (Array.isArray(node.allOf)) {
      if (node.allOf.length !== 1) refuse(path, 'allOf is supported with one schema only');
      return compile(node.allOf[0] as Schema, `${path}.allOf[0]`);
    }
    const types = Array.isArray(node.type) ? (node.type as unknown[]) : [node.type];
    if (node.nullable === true) types.push('null');
    if (node.type === undefined) {
      // No type: whatever the other keywords describe, else any value.
      if (node.properties) types.splice(0, types.length, 'object');
      else if (node.items) types.splice(0, types.length, 'array');
      else return anyJson;
    }
    const shapes = types.map((type) => typedShape(node, String(type), path));
    return shapes.length === 1 ? (shapes[0] as JsonShape) : { type: 'union', options: shapes };
  };

  const typedShape = (node: Record<string, unknown>, type: string, path: string): JsonShape => {
    switch (type) {
      case 'object': {
        const properties = (node.properties ?? {}) as Record<string, Schema>;
        const required = new Set(Array.isArray(node.required) ? (node.required as string[]) : []);
        for (const name of required) {
          if (!(name in properties)) refuse(path, `required property "${name}" is not declared`);
        }
        const entries = Object.entries(properties);
        return {
          type: 'object',
          properties: entries.map(([name, property]) => ({
            name,
            key: JSON.stringify(name).slice(1, -1),
            shape: compile(property, `${path}.properties.${name}`),
            required: required.has(name),
          })),
          // With no declared properties, an object takes keys of any name (a free map).
          additional:
            entries.length === 0 && node.additionalProperties !== false
              ? node.additionalProperties && typeof node.additionalProperties === 'object'
                ? compile(node.additionalProperties as Schema, `${path}.additionalProperties`)
                : anyJson
              : null,
        };
      }
      case 'array': {
        if (Array.isArray(node.items))
          refuse(path, 'tuple items (an array of schemas) are not supported');
        const minItems = count(node.minItems, 0);
        const maxItems = count(node.maxItems, Number.POSITIVE_INFINITY);
        if (maxItems < minItems) refuse(path, 'maxItems is below minItems');
        return {
          type: 'array',
          items:
            node.items === undefined ? anyJson : compile(node.items as Schema, `${path}.items`),
          minItems,
          maxItems,
        };
      }
      case 'string': {
        const minLength = count(node.minLength, 0);
        const maxLength = count(node.maxLength, Number.POSITIVE_INFINITY);
        if (maxLength < minLength) refuse(path, 'maxLength is below minLength');
        return { type: 'string', minLength, maxLength, values: null };
      }
      case 'number':
      case 'integer':
        return { type: 'number', integer: type === 'integer', bounds: numberBounds(node, path) };
      case 'boolean':
        return { type: 'literal', texts: ['true', 'false'] };
      case 'null':
        return { type: 'literal', texts: ['null'] };
      default:
        return refuse(path, `unknown type "${type}"`);
    }
  };

  return compile(root, '');
}

/** enum and const: strings as string choices, anything else as its JSON text. */
function valuesShape(values: unknown[], path: string): JsonShape {
  if (values.length === 0) refuse(path, 'enum is empty');
  const strings = values.filter((value): value is string => typeof value === 'string');
  const others = values
    .filter((value) => typeof value !== 'string')
    .map((value) => JSON.stringify(value));
  const shapes: JsonShape[] = [];
  if (strings.length > 0) {
    shapes.push({
      type: 'string',
      minLength: 0,
      maxLength: Number.POSITIVE_INFINITY,
      values: strings.map((value) => JSON.stringify(value).slice(1, -1)),
    });
  }
  if (others.length > 0) shapes.push({ type: 'literal', texts: others });
  return shapes.length === 1 ? (shapes[0] as JsonShape) : { type: 'union', options: shapes };
}

/** minimum/maximum and their exclusive forms (draft 4's boolean exclusives included). */
function numberBounds(node: Record<string, unknown>, path: string): NumberBounds | null {
  const bound = (inclusive: unknown, exclusive: unknown) => {
    if (typeof exclusive === 'number') return { value: exclusive, exclusive: true };
    if (typeof inclusive === 'number') return { value: inclusive, exclusive: exclusive === true };
    return undefined;
  };
  const low = bound(node.minimum, node.exclusiveMinimum);
  const high = bound(node.maximum, node.exclusiveMaximum);
  if (!low && !high) return null;
  if (
    low &&
    high &&
    (low.value > high.value || (low.value === high.value && (low.exclusive || high.exclusive)))
  ) {
    refuse(path, 'the range from minimum to maximum is empty');
  }
  return { low, high };
}
