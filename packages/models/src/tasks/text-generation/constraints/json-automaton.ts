import type { JsonShape } from './json-shape.js';
import { boundsReachable, withinBounds } from './number-bounds.js';

type ObjectShape = Extract<JsonShape, { type: 'object' }>;
type ArrayShape = Extract<JsonShape, { type: 'array' }>;
type StringShape = Extract<JsonShape, { type: 'string' }>;
type NumberShape = Extract<JsonShape, { type: 'number' }>;

/** Digits each part of a number may have: enough for a double, bounded so a number always ends. */
export const maxDigits = 16;

/** Characters of the longest token the search takes (longer ones are left out of the trie). */
export const maxTokenLength = 256;

type NumberPhase =
  'start' | 'minus' | 'zero' | 'integer' | 'point' | 'fraction' | 'e' | 'exponentSign' | 'exponent';

/**
 * Where generation stands inside a JSON document, as an immutable stack of frames (the top one
 * reads the next character; `parent` goes on once its value is complete). Advancing makes new
 * frames and never changes old ones, so the token search can branch from any state for free.
 * `key` caches the stack's name (frameKey).
 */
export type Frame =
  | { kind: 'done'; parent: null; key?: string }
  /** Fixed text: `true`, an enum's JSON, or the `{`, `[`, `"` that opens its parent (`opens`). */
  | {
      kind: 'literal';
      texts: string[];
      matched: number;
      opens: boolean;
      parent: Frame;
      key?: string;
    }
  /** Inside `{...}`: `next` is the first declared property not yet passed. */
  | {
      kind: 'object';
      shape: ObjectShape;
      next: number;
      afterValue: boolean;
      parent: Frame;
      key?: string;
    }
  | {
      kind: 'key';
      object: Extract<Frame, { kind: 'object' }>;
      candidates: number[];
      text: string;
      escape: number;
      key?: string;
      parent: Frame;
    }
  | { kind: 'colon'; value: JsonShape; parent: Frame; key?: string }
  | {
      kind: 'array';
      shape: ArrayShape;
      count: number;
      afterValue: boolean;
      parent: Frame;
      key?: string;
    }
  | {
      kind: 'string';
      shape: StringShape;
      length: number;
      escape: number;
      text: string;
      parent: Frame;
      key?: string;
    }
  | {
      kind: 'number';
      shape: NumberShape;
      phase: NumberPhase;
      digits: number;
      text: string;
      parent: Frame;
      key?: string;
    };

const done: Frame = { kind: 'done', parent: null };

const opener = (text: string, parent: Frame): Frame => ({
  kind: 'literal',
  texts: [text],
  matched: 0,
  opens: true,
  parent,
});

/** Frames expecting the first character of a value of `shape` (one per union option). */
export function begin(shape: JsonShape, parent: Frame): Frame[] {
  switch (shape.type) {
    case 'union':
      return shape.options.flatMap((option) => begin(option, parent));
    case 'object':
      return [opener('{', { kind: 'object', shape, next: 0, afterValue: false, parent })];
    case 'array':
      return [opener('[', { kind: 'array', shape, count: 0, afterValue: false, parent })];
    case 'string':
      return [opener('"', { kind: 'string', shape, length: 0, escape: 0, text: '', parent })];
    case 'number':
      return [{ kind: 'number', shape, phase: 'start', digits: 0, text: '', parent }];
    case 'literal':
      return [{ kind: 'literal', texts: shape.texts, matched: 0, opens: false, parent }];
  }
}

/** The frames of a whole document: one value of `shape`, then nothing. */
export function startOf(shape: JsonShape): Frame[] {
  return begin(shape, done);
}

/** Where a container goes on once one of its values is complete. */
export function resume(container: Frame): Frame {
  if (container.kind === 'object') return { ...container, afterValue: true, key: undefined };
  if (container.kind === 'array') {
    return { ...container, count: container.count + 1, afterValue: true, key: undefined };
  }
  return container;
}

/** The properties a key may still name: the next ones, up to and including a required one. */
function keyCandidates(shape: ObjectShape, next: number): number[] {
  const candidates: number[] = [];
  for (let index = next; index < shape.properties.length; index += 1) {
    candidates.push(index);
    if (shape.properties[index]?.required) break;
  }
  return candidates;
}

/** An object may close once no required property is left at or after `next`. */
function mayClose(shape: ObjectShape, next: number): boolean {
  return shape.properties.slice(next).every((property) => !property.required);
}

const isDigit = (char: string) => char >= '0' && char <= '9';

/**
 * Escapes inside strings: 0 plain, 1 after a backslash, 2 to 5 inside \\uXXXX; -1 when the
 * character is not allowed (a raw control character, an unknown escape).
 */
function stringEscape(state: number, char: string): number {
  if (state === 0) return char === '\\' ? 1 : char < ' ' ? -1 : 0;
  if (state === 1) return char === 'u' ? 2 : '"\\/bfnrt'.includes(char) ? 0 : -1;
  if (!/^[0-9a-fA-F]$/.test(char)) return -1;
  return state === 5 ? 0 : state + 1;
}

export function numberComplete(frame: Extract<Frame, { kind: 'number' }>): boolean {
  if (!['zero', 'integer', 'fraction', 'exponent'].includes(frame.phase)) return false;
  const { bounds } = frame.shape;
  return !bounds || withinBounds(Number(frame.text), bounds);
}

function numberStep(frame: Extract<Frame, { kind: 'number' }>, char: string): Frame | undefined {
  const next = numberPhaseStep(frame, char);
  const { bounds, integer } = frame.shape;
  if (!next || !bounds) return next;
  return boundsReachable(next.text, integer, bounds, maxDigits) ? next : undefined;
}

function numberPhaseStep(
  frame: Extract<Frame, { kind: 'number' }>,
  char: string,
): Extract<Frame, { kind: 'number' }> | undefined {
  const to = (phase: NumberPhase, digits = 0) => ({
    ...frame,
    phase,
    digits,
    text: frame.text + char,
    key: undefined,
  });
  const { integer, bounds } = frame.shape;
  // Bounded numbers have no exponent: their range is checked digit by digit.
  const exponent = (char === 'e' || char === 'E') && !bounds;
  const fractionOrExponent = () =>
    integer ? undefined : char === '.' ? to('point') : exponent ? to('e') : undefined;
  switch (frame.phase) {
    case 'start':
      if (char === '-') return to('minus');
      return char === '0' ? to('zero') : isDigit(char) ? to('integer', 1) : undefined;
    case 'minus':
      return char === '0' ? to('zero') : isDigit(char) ? to('integer', 1) : undefined;
    case 'zero':
      return fractionOrExponent();
    case 'integer':
      return isDigit(char) && frame.digits < maxDigits
        ? to('integer', frame.digits + 1)
        : fractionOrExponent();
    case 'point':
      return isDigit(char) ? to('fraction', 1) : undefined;
    case 'fraction':
      if (isDigit(char) && frame.digits < maxDigits) return to('fraction', frame.digits + 1);
      return exponent ? to('e') : undefined;
    case 'e':
      if (char === '+' || char === '-') return to('exponentSign');
      return isDigit(char) ? to('exponent', 1) : undefined;
    case 'exponentSign':
      return isDigit(char) ? to('exponent', 1) : undefined;
    case 'exponent':
      return isDigit(char) && frame.digits < 2 ? to('exponent', frame.digits + 1) : undefined;
  }
}

/** The frames `char` leads to from `frame`: none when the character is not allowed there. */
export function advance(frame: Frame, char: string): Frame[] {
  switch (frame.kind) {
    case 'done':
      return [];
    case 'literal': {
      const texts = frame.texts.filter((text) => text[frame.matched] === char);
      if (texts.length === 0) return [];
      const matched = frame.matched + 1;
      const next: Frame[] = [];
      const longer = texts.filter((text) => text.length > matched);
      if (longer.length > 0) next.push({ ...frame, texts: longer, matched, key: undefined });
      // A whole text ends the literal (an enum's "1" may also go on to "10": both branches).
      if (texts.some((text) => text.length === matched)) {
        next.push(frame.opens ? frame.parent : resume(frame.parent));
      }
      return next;
    }
    case 'object': {
      const { shape, next } = frame;
      if (char === '}') return mayClose(shape, next) ? [resume(frame.parent)] : [];
      const open = { ...frame, afterValue: false, key: undefined };
      const key = (): Frame[] => {
        const candidates = keyCandidates(shape, next);
        if (candidates.length === 0 && !shape.additional) return [];
        return [{ kind: 'key', object: open, candidates, text: '', escape: 0, parent: open }];
      };
      if (frame.afterValue) {
        if (char !== ',') return [];
        return key().map((started) => opener('"', started));
      }
      // Right after `{`: a key, or `}` above.
      return char === '"' ? key() : [];
    }
    case 'key': {
      const { object } = frame;
      const { shape } = object;
      if (frame.escape === 0 && char === '"') {
        const exact = frame.candidates.find((index) => shape.properties[index]?.key === frame.text);
        const property = exact === undefined ? undefined : shape.properties[exact];
        if (property && exact !== undefined) {
          return [{ kind: 'colon', value: property.shape, parent: { ...object, next: exact + 1 } }];
        }
        return shape.additional ? [{ kind: 'colon', value: shape.additional, parent: object }] : [];
      }
      const escape = stringEscape(frame.escape, char);
      if (escape < 0) return [];
      const text = frame.text + char;
      const candidates = frame.candidates.filter((index) =>
        shape.properties[index]?.key.startsWith(text),
      );
      if (candidates.length === 0 && !shape.additional) return [];
      return [{ ...frame, text, candidates, escape, key: undefined }];
    }
    case 'colon':
      return char === ':' ? begin(frame.value, frame.parent) : [];
    case 'array': {
      const { shape } = frame;
      if (char === ']') return frame.count >= shape.minItems ? [resume(frame.parent)] : [];
      if (frame.count >= shape.maxItems) return [];
      if (frame.afterValue) {
        return char === ','
          ? begin(shape.items, { ...frame, afterValue: false, key: undefined })
          : [];
      }
      if (frame.count > 0) return [];
      return begin(shape.items, frame).flatMap((started) => advance(started, char));
    }
    case 'string': {
      const { shape } = frame;
      if (frame.escape === 0 && char === '"') {
        if (frame.length < shape.minLength) return [];
        if (shape.values && !shape.values.includes(frame.text)) return [];
        return [resume(frame.parent)];
      }
      const escape = stringEscape(frame.escape, char);
      if (escape < 0) return [];
      // A character counts where it starts: an escape begun at the last place could not end.
      const length = frame.escape === 0 ? frame.length + 1 : frame.length;
      if (length > shape.maxLength) return [];
      const text = shape.values ? frame.text + char : '';
      if (shape.values && !shape.values.some((value) => value.startsWith(text))) return [];
      return [{ ...frame, escape, length, text, key: undefined }];
    }
    case 'number': {
      const next = numberStep(frame, char);
      if (next) return [next];
      // A number has no end mark: a character that cannot go on ends it, if it is whole.
      return numberComplete(frame) ? advance(resume(frame.parent), char) : [];
    }
  }
}

/** Whether the document is complete in this frame (a top-level number could also go on). */
export function isComplete(frame: Frame): boolean {
  if (frame.kind === 'done') return true;
  return frame.kind === 'number' && frame.parent.kind === 'done' && numberComplete(frame);
}

/** Whether anything may follow in this frame (false only for a finished document). */
export function canContinue(frame: Frame): boolean {
  return frame.kind !== 'done';
}
