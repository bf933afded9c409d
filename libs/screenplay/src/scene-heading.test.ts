import { describe, expect, it } from 'vitest';
import { classifyFountainHeading, fallbackHeading, isTransitionLike, parsePlainHeading } from './scene-heading';

describe('classifyFountainHeading', () => {
  it.each([
    ['INT. HOUSE - DAY', 'standard'],
    ['EXT. ROAD - NIGHT', 'standard'],
    ['EST. HARBOUR - DAWN', 'standard'],
    ['INT./EXT. CAR - MOVING', 'standard'],
    ['INT/EXT CAR', 'standard'],
    ['I/E TRUCK - NIGHT', 'standard'],
    ['int. kitchen - day', 'standard'],
    ['    INT. INDENTED - DAY', 'standard'],
    ['INT HOUSE - DAY', 'standard'],
    ['.SNIPER SCOPE POV', 'forced'],
    ['.flashback', 'forced'],
  ] as const)('%s is a %s heading', (line, kind) => {
    expect(classifyFountainHeading(line)).toBe(kind);
  });

  it.each(['INTERIOR OF THE HOUSE', 'EXTRA! EXTRA!', '...and then nothing', 'Mara walks in.', 'ESTATE AGENT'])(
    '%s is not a heading',
    (line) => {
      expect(classifyFountainHeading(line)).toBeNull();
    },
  );
});

describe('parsePlainHeading', () => {
  it.each([
    ['INT. HOUSE - DAY', 'INT. HOUSE - DAY'],
    ['int. house - day', 'int. house - day'],
    ['12 INT. HOUSE - DAY 12', 'INT. HOUSE - DAY'],
    ['12A   EXT. ROAD - NIGHT    12A', 'EXT. ROAD - NIGHT'],
    ['  3. INT/EXT CAR - MOVING 3.', 'INT/EXT CAR - MOVING'],
    ['INT. APARTMENT 12', 'INT. APARTMENT 12'],
    ['EXT/INT  PORCH - DUSK', 'EXT/INT PORCH - DUSK'],
    ['I/E VAN', 'I/E VAN'],
    ['Scene 3:', 'Scene 3'],
    ['SCENE 12 - THE KITCHEN', 'SCENE 12: THE KITCHEN'],
    ['Scene IV. Night falls', 'Scene IV: Night falls'],
  ])('%j → %j', (line, heading) => {
    expect(parsePlainHeading(line)).toBe(heading);
  });

  it.each(['Scene 3 was the best one.', 'INTERIOR', 'Internal memo', 'EXT.', 'She walks in.', `INT. ${'LONG '.repeat(30)}`])(
    '%j is not a heading',
    (line) => {
      expect(parsePlainHeading(line)).toBeNull();
    },
  );
});

describe('isTransitionLike', () => {
  it('knows transitions and nothing else', () => {
    expect(['FADE IN:', 'CUT TO:', 'SMASH CUT TO:', 'FADE OUT.', '  DISSOLVE TO:  '].map(isTransitionLike)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(['The phone rings.', 'Note to self:', 'BANG!', ''].map(isTransitionLike)).toEqual([false, false, false, false]);
  });
});

describe('fallbackHeading', () => {
  it('uses the title, else the first non-empty line, cut to 120 characters', () => {
    expect(fallbackHeading('My Script', 'Some text')).toBe('My Script');
    expect(fallbackHeading(null, '\n\n  A   first line  \nsecond')).toBe('A first line');
    expect(fallbackHeading(null, 'x'.repeat(300))).toBe('x'.repeat(120));
  });
});
