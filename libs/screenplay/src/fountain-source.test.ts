import { describe, expect, it } from 'vitest';
import { prepareFountainSource, removeComments } from './fountain-source';

describe('prepareFountainSource', () => {
  it('drops a note line under a heading, so the heading stays a heading', () => {
    expect(prepareFountainSource('INT. HOUSE - DAY\n[[check the date]]\n\nBob sits.')).toBe('INT. HOUSE - DAY\n\nBob sits.');
  });

  it('removes inline notes without leaving double spaces', () => {
    expect(prepareFountainSource('Bob [[really?]] sits. [[end]]\n[[start]] Ann stands.')).toBe('Bob sits.\nAnn stands.');
  });

  it('removes multi-line notes and boneyard, taking the lines they fill', () => {
    const source = 'Action A.\n\n[[a note\nover two lines]]\n\n/*\nINT. CUT SCENE - DAY\n\nGone.\n*/\n\nINT. KEPT - DAY\n';
    expect(prepareFountainSource(source)).toBe('Action A.\n\n\n\nINT. KEPT - DAY\n');
  });

  it('keeps a dialogue block whole when a note line sits inside it', () => {
    expect(prepareFountainSource('\nBOB\nHello.\n[[louder?]]\nGoodbye.')).toBe('\nBOB\nHello.\nGoodbye.');
  });

  it('does not let an unclosed note swallow what follows a blank line', () => {
    const source = 'Bob [[forgot to close\n\nINT. NEXT - DAY\n\nAnn [[closed]] waits.';
    expect(prepareFountainSource(source)).toBe('Bob [[forgot to close\n\nINT. NEXT - DAY\n\nAnn waits.');
  });

  it('gives a standard heading directly followed by text the blank line Fountain needs', () => {
    expect(prepareFountainSource('INT. HOUSE - DAY\nBob sits.\n\nEXT. YARD - DAY\nAnn waits.')).toBe(
      'INT. HOUSE - DAY\n\nBob sits.\n\nEXT. YARD - DAY\n\nAnn waits.',
    );
    // Not when the line continues a paragraph, nor for a line that merely starts with a period.
    expect(prepareFountainSource('Bob says\nINT. is short for interior.')).toBe('Bob says\nINT. is short for interior.');
    expect(prepareFountainSource('.5 seconds\nlater')).toBe('.5 seconds\nlater');
  });

  it('starts a lyric sung right after a character cue as plain dialogue (fountain-js 1.2.4 throws on it)', () => {
    expect(prepareFountainSource('\nWALTER\n~Down by the water\n~wait for me there')).toBe(
      '\nWALTER\nDown by the water\n~wait for me there',
    );
    expect(prepareFountainSource('\n~Lyrics on their own\n~stay lyrics')).toBe('\n~Lyrics on their own\n~stay lyrics');
  });

  it('normalises line endings and drops form feeds', () => {
    expect(prepareFountainSource('INT. A - DAY\r\n\r\n\fBob.\rAnn.')).toBe('INT. A - DAY\n\nBob.\nAnn.');
  });
});

describe('removeComments', () => {
  it('joins the text around a comment inside a line', () => {
    expect(removeComments('Bob /* cut this */ sits.', /\/\*[\s\S]*?\*\//g)).toBe('Bob sits.');
    expect(removeComments('Bob sits. /* x\ny */ Ann stands.', /\/\*[\s\S]*?\*\//g)).toBe('Bob sits. Ann stands.');
  });
});

describe('prepareFountainSource with sections and synopses', () => {
  it('drops section and synopsis lines that start a block, and only those', () => {
    expect(prepareFountainSource('# ACT ONE\n= The set-up.\nINT. A - DAY\n= Bob arrives.\nBob sits.')).toBe(
      'INT. A - DAY\n\nBob sits.',
    );
    expect(prepareFountainSource('\nBOB\n#1 on the list.\n\n===\n')).toBe('\nBOB\n#1 on the list.\n\n===\n');
  });
});

describe('prepareFountainSource and whitespace at line ends', () => {
  it('treats a line of spaces as blank, so a heading is not merged into the next paragraph', () => {
    expect(prepareFountainSource('INT. A - DAY  \n  \nBOB \nHi.\t\n')).toBe('INT. A - DAY\n\nBOB\nHi.\n');
  });
});

describe('removeComments on awkward lines', () => {
  const note = /\[\[[\s\S]*?\]\]/g;
  it('handles several comments on one line', () => {
    expect(removeComments('A\n[[a]] [[b]]\nB', note)).toBe('A\nB');
    expect(removeComments('Bob [[a]] [[b]]\nB', note)).toBe('Bob\nB');
    expect(removeComments('[[a]] Bob [[b]] sits.', note)).toBe('Bob sits.');
    expect(removeComments('[[only]]', note)).toBe('');
    expect(removeComments('A\n[[last]]', note)).toBe('A\n');
  });
});
