import { maxTokenLength, type Frame } from './json-automaton.js';
import type { JsonShape } from './json-shape.js';

/** A stable name for a frame stack: stacks with equal names allow exactly the same text next. */
export function frameKey(frame: Frame): string {
  if (frame.key !== undefined) return frame.key;
  const own = ownKey(frame);
  const key = frame.parent ? `${own}|${frameKey(frame.parent)}` : own;
  frame.key = key;
  return key;
}

/**
 * A frame's own name, without its parents': inside a string or a key, what may come up to the
 * closing quote depends on this alone (the token search caches that part by it).
 */
export function ownKey(frame: Frame): string {
  let own: string;
  switch (frame.kind) {
    case 'done':
      own = 'D';
      break;
    case 'literal':
      own = `L${frame.opens ? 1 : 0}${frame.matched}:${frame.texts.join('\u0001')}`;
      break;
    case 'object':
      own = `O${shapeId(frame.shape)}:${frame.next}:${frame.afterValue ? 1 : 0}`;
      break;
    case 'key':
      own = `K${shapeId(frame.object.shape)}:${frame.candidates.join(',')}:${frame.escape}:${frame.candidates.length > 0 ? frame.text : ''}`;
      break;
    case 'colon':
      own = `C${shapeId(frame.value)}`;
      break;
    case 'array':
      own = `A${shapeId(frame.shape)}:${Math.min(frame.count, frame.shape.minItems)}:${frame.count >= frame.shape.maxItems ? 1 : 0}:${frame.afterValue ? 1 : 0}`;
      break;
    case 'string': {
      // Far from its bounds (further than any token is long) a string allows the same tokens
      // whatever its length: one name.
      const room = Math.min(frame.shape.maxLength - frame.length, maxTokenLength);
      const short = Math.min(Math.max(0, frame.shape.minLength - frame.length), maxTokenLength);
      own = `S${shapeId(frame.shape)}:${room}:${short}:${frame.escape}:${frame.text}`;
      break;
    }
    case 'number':
      // Bounded numbers allow what their digits so far allow: the text is part of the name.
      own = frame.shape.bounds
        ? `N${shapeId(frame.shape)}:${frame.phase}:${frame.text}`
        : `N${frame.shape.integer ? 1 : 0}${frame.phase}:${frame.digits}`;
      break;
  }
  return own;
}

const shapeIds = new WeakMap<object, number>();
let nextShapeId = 0;
function shapeId(shape: JsonShape): number {
  let id = shapeIds.get(shape);
  if (id === undefined) {
    id = nextShapeId++;
    shapeIds.set(shape, id);
  }
  return id;
}
