import { describe, expect, it } from 'vitest';
import { dedentLines } from './dedent';

describe('dedentLines', () => {
  it('removes only the shared indentation', () => {
    expect(dedentLines(['    a', '      b', '   ', '        c'])).toEqual(['a', '  b', '', '    c']);
    expect(dedentLines(['a', '  b'])).toEqual(['a', '  b']);
    expect(dedentLines([])).toEqual([]);
  });

  it('copes with more lines than a function call takes arguments', () => {
    expect(dedentLines(Array.from({ length: 200_000 }, () => '  x'))[199_999]).toBe('x');
  });
});
