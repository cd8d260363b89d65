import { resume, maxDigits, type Frame } from './json-automaton.js';
import type { JsonShape } from './json-shape.js';
import { boundedEnding } from './number-bounds.js';

/**
 * The shortest text that completes the document from this frame: what generation is forced to
 * write when its token budget is about to run out, so the output always parses.
 */
export function shortestEnding(frame: Frame): string {
  switch (frame.kind) {
    case 'done':
      return '';
    case 'literal': {
      const rest = frame.texts
        .map((text) => text.slice(frame.matched))
        .reduce((a, b) => (b.length < a.length ? b : a));
      return rest + shortestEnding(frame.opens ? frame.parent : resume(frame.parent));
    }
    case 'object': {
      const missing = frame.shape.properties
        .slice(frame.next)
        .filter((property) => property.required)
        .map((property) => `"${property.key}":${shortestValue(property.shape)}`);
      const separator = frame.afterValue && missing.length > 0 ? ',' : '';
      return `${separator}${missing.join(',')}}${shortestEnding(resume(frame.parent))}`;
    }
    case 'key': {
      const { object } = frame;
      const choice =
        frame.candidates
          .map((index) => object.shape.properties[index])
          .find((property) => property?.required) ??
        object.shape.properties[frame.candidates[0] ?? -1];
      if (!choice) {
        // A free key: close it, give it the shortest value.
        const value = object.shape.additional ? shortestValue(object.shape.additional) : 'null';
        return `${frame.escape > 0 ? 'u0000'.slice(frame.escape - 1) : ''}":${value}${shortestEnding(resume(object))}`;
      }
      const index = object.shape.properties.indexOf(choice);
      const after: Frame = resume({ ...object, next: index + 1 });
      return `${choice.key.slice(frame.text.length)}":${shortestValue(choice.shape)}${shortestEnding(after)}`;
    }
    case 'colon':
      return `:${shortestValue(frame.value)}${shortestEnding(resume(frame.parent))}`;
    case 'array': {
      const missing = Math.max(0, frame.shape.minItems - frame.count);
      const items = Array.from({ length: missing }, () => shortestValue(frame.shape.items));
      const separator = frame.afterValue && missing > 0 ? ',' : '';
      return `${separator}${items.join(',')}]${shortestEnding(resume(frame.parent))}`;
    }
    case 'string': {
      const escape =
        frame.escape > 1 ? '0000'.slice(frame.escape - 2) : frame.escape === 1 ? 'n' : '';
      const value = frame.shape.values
        ? (frame.shape.values
            .filter((candidate) => candidate.startsWith(frame.text))
            .map((candidate) => candidate.slice(frame.text.length))
            .sort((a, b) => a.length - b.length)[0] ?? '')
        : 'a'.repeat(Math.max(0, frame.shape.minLength - frame.length));
      return `${escape}${value}"${shortestEnding(resume(frame.parent))}`;
    }
    case 'number': {
      const { bounds, integer } = frame.shape;
      const digits = bounds
        ? boundedEnding(frame.text, integer, bounds, maxDigits)
        : ['start', 'minus', 'point', 'e', 'exponentSign'].includes(frame.phase)
          ? '0'
          : '';
      return digits + shortestEnding(resume(frame.parent));
    }
  }
}

/** The shortest JSON text of a value of `shape`. */
export function shortestValue(shape: JsonShape): string {
  switch (shape.type) {
    case 'union':
      return shape.options.map(shortestValue).reduce((a, b) => (b.length < a.length ? b : a));
    case 'object':
      return `{${shape.properties
        .filter((property) => property.required)
        .map((property) => `"${property.key}":${shortestValue(property.shape)}`)
        .join(',')}}`;
    case 'array':
      return `[${Array.from({ length: shape.minItems }, () => shortestValue(shape.items)).join(',')}]`;
    case 'string':
      return shape.values
        ? `"${[...shape.values].sort((a, b) => a.length - b.length)[0] ?? ''}"`
        : `"${'a'.repeat(shape.minLength)}"`;
    case 'number':
      return shape.bounds ? boundedEnding('', shape.integer, shape.bounds, maxDigits) : '0';
    case 'literal':
      return shape.texts.reduce((a, b) => (b.length < a.length ? b : a));
  }
}
