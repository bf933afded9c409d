import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chunkAtBlankLines, parseFountain, renderInline } from './fountain';

describe('renderInline', () => {
  it('renders emphasis, escapes and HTML-like text as a reader sees them', () => {
    expect(renderInline('*italic* **bold** ***both*** _under_ \\*not\\*')).toBe('italic bold both under *not*');
    expect(renderInline('Tom & Jerry <b>"quoted"</b> &lt;kept&gt;')).toBe('Tom & Jerry <b>"quoted"</b> &lt;kept&gt;');
    expect(renderInline('line one  \nline two')).toBe('line one\nline two');
  });
});

describe('parseFountain', () => {
  it('reads the title page title and keeps it out of the scenes', () => {
    const draft = parseFountain('Title: **Brick & Steel**\nAuthor: Stu\n\nINT. GARAGE - DAY\n\nSteel waits.');
    expect(draft.title).toBe('Brick & Steel');
    expect(draft.scenes).toEqual([{ heading: 'INT. GARAGE - DAY', blocks: ['Steel waits.'], cues: [] }]);
  });

  it('joins a multi-line title and reports none when there is no title page', () => {
    expect(parseFountain('Title:\n    _Harbour_\n    Lights\n\nINT. A - DAY').title).toBe('Harbour Lights');
    expect(parseFountain('INT. A - DAY\n\nText.').title).toBeNull();
  });

  it('renders dialogue blocks with cue, parenthetical and lines, dual-dialogue caret dropped', () => {
    const draft = parseFountain(
      'INT. PATIO - DAY #1#\n\nBRICK (V.O.)\n(quietly)\nScrew retirement.\n\nSTEEL ^\nScrew retirement.\n\nSMASH CUT TO:',
    );
    expect(draft.scenes[0]).toEqual({
      heading: 'INT. PATIO - DAY',
      blocks: ['BRICK (V.O.)\n(quietly)\nScrew retirement.', 'STEEL\nScrew retirement.', 'SMASH CUT TO:'],
      cues: ['BRICK (V.O.)', 'STEEL'],
    });
  });

  it('leaves sections, synopses, notes, boneyard and page breaks out; keeps centered text and lyrics', () => {
    const draft = parseFountain(
      [
        '# ACT ONE',
        '= The set-up.',
        '',
        'INT. HALL - NIGHT',
        '',
        'Music plays. [[Which song?]]',
        '',
        '~Sing it once',
        '~sing it twice',
        '',
        '/* Bob leaves. */',
        '',
        '===',
        '',
        '> THE END <',
      ].join('\n'),
    );
    expect(draft.scenes).toEqual([
      { heading: 'INT. HALL - NIGHT', blocks: ['Music plays.', 'Sing it once\nsing it twice', 'THE END'], cues: [] },
    ]);
    expect(draft.preamble).toEqual({ blocks: [], cues: [], hasContent: false });
  });

  it('upper-cases headings, as a formatted script prints them, and drops scene numbers', () => {
    const draft = parseFountain('.sniper scope pov #12A#\n\nA dot.\n\next. roof - night\n\nWind.');
    expect(draft.scenes.map((scene) => scene.heading)).toEqual(['SNIPER SCOPE POV', 'EXT. ROOF - NIGHT']);
  });

  it('reads indented Fountain: headings, cues and dialogue; action loses only its shared indent', () => {
    const draft = parseFountain('\tINT. HOUSE - DAY\n\n\t\tBob sits.\n\t\t  He waits.\n\n\t\t\tBOB\n\t\tHello?\n');
    expect(draft.scenes).toEqual([
      { heading: 'INT. HOUSE - DAY', blocks: ['Bob sits.\n  He waits.', 'BOB\nHello?'], cues: ['BOB'] },
    ]);
  });

  it('marks content before the first heading, but not a lone FADE IN:', () => {
    expect(parseFountain('FADE IN:\n\nINT. A - DAY').preamble.hasContent).toBe(false);
    const cold = parseFountain('Black screen. A phone rings.\n\nFADE IN:\n\nINT. A - DAY');
    expect(cold.preamble).toEqual({ blocks: ['Black screen. A phone rings.', 'FADE IN:'], cues: [], hasContent: true });
  });
});

describe('chunkAtBlankLines', () => {
  it('cuts only after a blank line, never before a title-page key, and loses nothing', () => {
    const source = 'Title: T\n\nINT. A - DAY\n\nBob.\nAnn.\n\nDate: 1944\n\n.FORCED\n\nAnn.';
    const chunks = chunkAtBlankLines(source, 1);
    expect(chunks).toEqual(['Title: T\n', 'INT. A - DAY\n', 'Bob.\nAnn.\n\nDate: 1944\n', '.FORCED\n', 'Ann.']);
    expect(chunks.join('\n')).toBe(source);
    expect(chunkAtBlankLines(source, 1_000)).toEqual([source]);
  });

  it('gives the same result as parsing the whole script at once', () => {
    const sample = readFileSync(new URL('../../../tools/samples/the-night-shift.fountain', import.meta.url), 'utf8');
    const whole = parseFountain(sample, { chunkChars: Number.POSITIVE_INFINITY });
    expect(parseFountain(sample, { chunkChars: 1 })).toEqual(whole);
    expect(parseFountain(sample)).toEqual(whole);
    expect(whole.scenes).toHaveLength(40);
  });
});
