import { describe, expect, it } from 'vitest';
import { isPlainCue, parsePlainText } from './plain-text';

describe('parsePlainText', () => {
  it('splits on heading lines, numbered or not, and finds cues followed by dialogue', () => {
    const draft = parsePlainText(
      [
        '1   INT. KITCHEN - NIGHT   1',
        '',
        '    Ann cooks.',
        '',
        '              ANN (V.O.)',
        '         Nobody eats here.',
        '',
        '2   EXT. GARDEN - DAY   2',
        '',
        '              BOB',
        '         (shouting)',
        '         Dinner!',
        '',
        'Scene 3:',
        'BOB',
        'Still dinner.',
      ].join('\n'),
    );
    expect(draft.title).toBeNull();
    expect(draft.preamble.hasContent).toBe(false);
    expect(draft.scenes).toEqual([
      { heading: 'INT. KITCHEN - NIGHT', blocks: ['Ann cooks.', '          ANN (V.O.)\n     Nobody eats here.'], cues: ['ANN (V.O.)'] },
      { heading: 'EXT. GARDEN - DAY', blocks: ['     BOB\n(shouting)\nDinner!'], cues: ['BOB'] },
      { heading: 'Scene 3', blocks: ['BOB\nStill dinner.'], cues: ['BOB'] },
    ]);
  });

  it('takes a title page with a "written by" line as the title, dropping it up to FADE IN:', () => {
    const draft = parsePlainText('   THE LAST BUS\n\n   written by\n\n   A. Writer\n\n   Draft 2\n\nFADE IN:\n\nEXT. STOP - NIGHT\n\nRain.');
    expect(draft.title).toBe('THE LAST BUS');
    expect(draft.preamble.hasContent).toBe(false);
    expect(draft.scenes.map((scene) => scene.heading)).toEqual(['EXT. STOP - NIGHT']);
  });

  it('marks real content before the first heading', () => {
    const draft = parsePlainText('A dog barks in the dark.\n\nINT. HOUSE - NIGHT\n\nLights on.');
    expect(draft.preamble).toEqual({ blocks: ['A dog barks in the dark.'], cues: [], hasContent: true });
  });

  it('keeps all text as the preamble when there is no heading', () => {
    const draft = parsePlainText('A poem, not a script.\n\nSecond verse.');
    expect(draft.scenes).toEqual([]);
    expect(draft.preamble.blocks).toEqual(['A poem, not a script.', 'Second verse.']);
    expect(draft.preamble.hasContent).toBe(true);
  });
});

describe('isPlainCue', () => {
  it.each(['MARA', "MARA (CONT'D)", 'DR. OKAFOR (V.O.)', 'OLD TOM', 'GUARD #2'.replace('#', ''), "O'BRIEN", 'MAN (cont\'d)'])(
    '%j is a cue',
    (line) => {
      expect(isPlainCue(line)).toBe(true);
    },
  );

  it.each(['THE DOOR SLAMS.', 'BANG!', 'CUT TO:', '(CONTINUED)', 'INT. HOUSE - DAY', 'Mara waits.', '12.', 'A VERY LONG LINE OF CAPITALS THAT IS NOT A NAME'])(
    '%j is not a cue',
    (line) => {
      expect(isPlainCue(line)).toBe(false);
    },
  );
});
