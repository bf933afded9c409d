import { describe, expect, it } from 'vitest';
import { readHints } from './schema-hints';

describe('readHints', () => {
  it('reads the paragraph the SDK appends to a description', () => {
    expect(readHints('{maxLength: 2000}')).toEqual({ maxLength: 2000 });
    expect(readHints('What happens.\n\n{minItems: 2, maxItems: 5}')).toEqual({ minItems: 2, maxItems: 5 });
    expect(readHints('{pattern: "^[a-z]{2,}, ok}$", default: ["a", {"b": 1}], exclusiveMinimum: 0}')).toEqual({
      pattern: '^[a-z]{2,}, ok}$',
      default: ['a', { b: 1 }],
      exclusiveMinimum: 0,
    });
  });

  it('ignores descriptions that are not hints', () => {
    for (const text of [undefined, 42, 'A summary.', '{not hints}', 'Set {x: 1} inline', '{a: nope}', '{a: 1, }']) {
      expect(readHints(text)).toEqual({});
    }
  });
});
