import { describe, expect, it } from 'vitest';
import { characterName, distinctCharacters } from './characters';

describe('characterName', () => {
  it.each([
    ['MARA', 'MARA'],
    ['MARA (V.O.)', 'MARA'],
    ["MARA (CONT'D)", 'MARA'],
    ["MARA (V.O.) (CONT'D)", 'MARA'],
    ['MARA ^', 'MARA'],
    ['MARA (O.S.) ^', 'MARA'],
    ['@McCLANE', 'McCLANE'],
    ['  DR.  OKAFOR  ', 'DR. OKAFOR'],
    ['*HANS*', 'HANS'],
    ['(CONTINUED)', ''],
  ])('%j → %j', (cue, name) => {
    expect(characterName(cue)).toBe(name);
  });
});

describe('distinctCharacters', () => {
  it('keeps the order of first appearance and treats names differing in case as one', () => {
    expect(distinctCharacters(['BOB', 'ALICE (V.O.)', "BOB (CONT'D)", '@McCLANE', 'MCCLANE', 'ALICE ^'])).toEqual([
      'BOB',
      'ALICE',
      'McCLANE',
    ]);
  });
});
