import { describe, expect, it } from 'vitest';
import { formatName, parseScene, splitSentences } from './scene-parse';

const kitchen = `
INT. KITCHEN - NIGHT

MARA stands at the sink. Rain hammers the window.

MARA
We should go.

JOE (V.O.)
(quietly)
Not yet.

MARA (CONT'D)
Now, Joe.

Joe switches off the light.

CUT TO:
`;

describe('parseScene', () => {
  it('takes the first non-empty line as the heading', () => {
    expect(parseScene(kitchen).heading).toBe('INT. KITCHEN - NIGHT');
    expect(parseScene('\n\n.FLASHBACK #12#\n\nShe runs.').heading).toBe('FLASHBACK');
  });

  it('finds speaking characters once each, in order, without extensions', () => {
    expect(parseScene(kitchen).characters).toEqual(['Mara', 'Joe']);
  });

  it('keeps action sentences and dialogue apart, dropping parentheticals and transitions', () => {
    const scene = parseScene(kitchen);
    expect(scene.actions).toEqual([
      'Mara stands at the sink.',
      'Rain hammers the window.',
      'Joe switches off the light.',
    ]);
    expect(scene.dialogue).toEqual([
      { speaker: 'Mara', text: 'We should go.' },
      { speaker: 'Joe', text: 'Not yet.' },
      { speaker: 'Mara', text: 'Now, Joe.' },
    ]);
  });

  it('does not take an all-caps line without dialogue under it for a character', () => {
    const scene = parseScene('EXT. ROOF - DAY\n\nSILENCE\n\nBANG!\nGlass everywhere.\n\nFADE OUT.');
    expect(scene.characters).toEqual([]);
    expect(scene.actions).toEqual(['SILENCE.', 'BANG!', 'Glass everywhere.']);
  });

  it('accepts forced cues and dual-dialogue markers', () => {
    const scene = parseScene('INT. BAR - NIGHT\n\n@McCLANE\nYippee.\n\nDR. HANS GRUBER ^\nNo.\n');
    expect(scene.characters).toEqual(['McCLANE', 'Dr. Hans Gruber']);
  });

  it('returns an empty heading for an empty scene', () => {
    expect(parseScene('  \n\n ')).toEqual({ heading: '', characters: [], actions: [], dialogue: [] });
  });
});

describe('formatName', () => {
  it('title-cases names, hyphens and O-apostrophes included', () => {
    expect(formatName("MARY-ANN O'BRIEN (O.S.)")).toBe("Mary-Ann O'Brien");
    expect(formatName("JOE'S MOM")).toBe("Joe's Mom");
  });
});

describe('splitSentences', () => {
  it('splits after terminal punctuation and closes an unfinished sentence', () => {
    expect(splitSentences('She waits. He runs! Why? Because')).toEqual(['She waits.', 'He runs!', 'Why?', 'Because.']);
  });
});
