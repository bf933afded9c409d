import { describe, expect, it } from 'vitest';
import { constrainedString, formattedValue, matchesPattern, textKind } from './string-value';
import { createTextSource } from './text-source';
import { scene } from './testing';

describe('textKind', () => {
  it('reads a field name the way a model would', () => {
    expect(textKind('summary', 'sentence')).toBe('paragraph');
    expect(textKind('characters', 'sentence')).toBe('name');
    expect(textKind('keyEvents', 'name')).toBe('sentence');
    expect(textKind('scene_title', 'sentence')).toBe('phrase');
    expect(textKind('mood', 'sentence')).toBe('word');
    expect(textKind('cities', 'sentence')).toBe('name');
    expect(textKind('x1', 'name')).toBe('name');
  });
});

describe('constrained strings', () => {
  const source = createTextSource(scene);

  it('uses the format, else text that matches the pattern, else a sample of it', () => {
    expect(formattedValue('email', source, 'a')).toBe('mara@example.com');
    expect(formattedValue('cuid', source, 'a')).toBeUndefined();
    expect(constrainedString({ pattern: '^[A-Z]+ stands' }, source, 'a', () => 'MARA stands at the sink.')).toBe('MARA stands at the sink.');
    expect(constrainedString({ pattern: '^\\d{2}$' }, source, 'a', () => 'no digits')).toBe('00');
    expect(constrainedString({ format: 'date', pattern: '^2025-' }, source, 'a', () => '')).toMatch(/^2025-\d\d-\d\d$/);
    expect(constrainedString({}, source, 'a', () => 'x')).toBeUndefined();
  });

  it('reads patterns with the u flag when they allow it', () => {
    expect(matchesPattern('^\\p{Lu}', 'Mara')).toBe(true);
    expect(matchesPattern('^\\-$', '-')).toBe(true); // invalid with u, valid without
    expect(matchesPattern('(', 'x')).toBe(false);
  });
});
