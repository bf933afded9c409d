import { describe, expect, it } from 'vitest';
import { detectFormat } from './detect-format';

describe('detectFormat', () => {
  it('calls a text with a title page Fountain', () => {
    expect(detectFormat('Title: Brick & Steel\nAuthor: Stu\n\nSome text.')).toBe('fountain');
    expect(detectFormat('\r\nDraft date: 1 May\r\n\r\nText.')).toBe('fountain');
  });

  it('calls a text with Fountain-only markup Fountain', () => {
    expect(detectFormat('Some text. [[a note]]')).toBe('fountain');
    expect(detectFormat('Text.\n\n/* cut */')).toBe('fountain');
    expect(detectFormat('Text.\n\n> THE END <')).toBe('fountain');
    expect(detectFormat('Text.\n\n===\n\nMore.')).toBe('fountain');
  });

  it('calls a text with Fountain scene headings Fountain', () => {
    expect(detectFormat('INT. HOUSE - DAY\n\nBob sits.')).toBe('fountain');
    expect(detectFormat('Intro.\n\n.SNIPER SCOPE POV\n\nCrosshairs.')).toBe('fountain');
  });

  it('calls numbered or "Scene N" headings plain text, even beside a stray Fountain heading', () => {
    expect(detectFormat('1 INT. HOUSE - DAY 1\n\nBob.\n\n2 EXT. YARD - DAY 2\n\nAnn.')).toBe('plain');
    expect(detectFormat('Scene 1:\nBob.\n\nScene 2:\nAnn.\n\nINT. HOUSE - DAY\n\nBoth.')).toBe('plain');
    expect(detectFormat('INT. HOUSE - DAY\n\nBob.\n\n2 EXT. YARD - DAY 2\n\nAnn.')).toBe('fountain');
  });

  it('calls text without any structure plain', () => {
    expect(detectFormat('Just some prose.\nAnother line.')).toBe('plain');
    expect(detectFormat('She said INT. was short for interior.')).toBe('plain');
  });
});
