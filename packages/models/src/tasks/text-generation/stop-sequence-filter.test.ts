import { describe, expect, it } from 'vitest';
import { StopSequenceFilter } from './stop-sequence-filter.js';

const run = (stops: string[], pieces: string[]) => {
  const filter = new StopSequenceFilter(stops);
  const shown = pieces.map((piece) => filter.push(piece));
  return { shown, rest: filter.flush(), stopped: filter.stopped };
};

describe('StopSequenceFilter', () => {
  it('passes text through when there are no stop sequences', () => {
    expect(run([], ['Young ', 'domestic ', 'cat.'])).toEqual({
      shown: ['Young ', 'domestic ', 'cat.'],
      rest: '',
      stopped: false,
    });
  });

  it('cuts before a stop sequence split across pieces, and shows none of it', () => {
    const { shown, stopped } = run(['cat.'], ['Young ', 'domestic c', 'at.', ' more']);
    expect(shown.join('')).toBe('Young domestic ');
    expect(stopped).toBe(true);
  });

  it('releases held text that turned out not to be a stop sequence', () => {
    const { shown, rest, stopped } = run(['END'], ['the E', 'xit']);
    expect(shown.join('') + rest).toBe('the Exit');
    expect(stopped).toBe(false);
  });

  it('stops at the earliest of several stop sequences', () => {
    const { shown } = run(['b', 'a'], ['xxaxb']);
    expect(shown.join('')).toBe('xx');
  });
});
