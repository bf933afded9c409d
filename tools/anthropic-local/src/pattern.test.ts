import { describe, expect, it } from 'vitest';
import { samplePattern, unsupportedRegexFeatures } from './pattern';

const matches = (pattern: string) => {
  const sample = samplePattern(pattern);
  expect(sample, pattern).toBeDefined();
  expect(new RegExp(pattern, 'u').test(sample!), `${pattern} should match ${JSON.stringify(sample)}`).toBe(true);
  return sample!;
};

describe('samplePattern', () => {
  it('writes a string each supported pattern matches', () => {
    for (const pattern of [
      '^[A-Z][a-z]+$',
      '^\\d{3}-\\d{4}$',
      '^(?:INT|EXT)\\. .+$',
      '^[^\\s@]+@[^\\s@]+\\.[a-z]{2,}$',
      '^[a-f0-9]{8}(-[a-f0-9]{4}){3}-[a-f0-9]{12}$',
      'scene',
      '^\\w+\\s\\w*$',
      '^(?<word>[a-z]+)!?$',
      '^[\\-_.]+$',
      '^a{2,5}b*c+?$',
      '^\\u0041\\x42[\\d\\s]$',
      '^[^a-zA-Z0-9]$',
      '^\\p{Lu}\\p{Ll}+$',
    ]) {
      matches(pattern);
    }
    expect(matches('^\\d{3}-\\d{4}$')).toBe('000-0000');
  });

  it('gives up on what the API refuses or JavaScript cannot read', () => {
    for (const pattern of ['^(a)\\1$', '^(?=a)a$', '\\bword\\b', '^(unclosed$', '[]', '^\\P{L}$']) {
      expect(samplePattern(pattern), pattern).toBeUndefined();
    }
  });
});

describe('unsupportedRegexFeatures', () => {
  it('names backreferences, lookaround and word boundaries', () => {
    expect(unsupportedRegexFeatures('^[a-z]+$')).toEqual([]);
    expect(unsupportedRegexFeatures('(a)\\1(?!b)\\b')).toEqual(['backreferences', 'lookahead/lookbehind assertions', 'word boundaries']);
    expect(unsupportedRegexFeatures('(?<=x)y')).toEqual(['lookahead/lookbehind assertions']);
  });
});
