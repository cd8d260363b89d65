import { describe, expect, it } from 'vitest';
import { embedInputSchema } from './embed.js';
import { limits } from './limits.js';

describe('embedInputSchema', () => {
  it('accepts texts and an optional model', () => {
    expect(embedInputSchema.parse({ texts: ['hello'], model: 'local/x' })).toEqual({
      texts: ['hello'],
      model: 'local/x',
    });
  });

  it.each([
    ['no texts', { texts: [] }, 'texts'],
    ['a blank text', { texts: ['ok', ' \n\t '] }, 'texts.1'],
    ['too many texts', { texts: Array(limits.embedMaxTexts + 1).fill('x') }, 'texts'],
    ['a too long text', { texts: ['x'.repeat(limits.embedMaxTextLength + 1)] }, 'texts.0'],
    ['a bad model id', { texts: ['x'], model: '../etc/passwd' }, 'model'],
  ])('refuses %s with the field path', (_name, input, path) => {
    const result = embedInputSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toContain(path);
  });
});
