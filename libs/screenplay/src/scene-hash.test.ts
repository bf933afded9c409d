import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashSceneText, normaliseSceneText } from './scene-hash';

describe('hashSceneText', () => {
  it('is the SHA-256 hex of the normalised text', () => {
    expect(hashSceneText('INT. A - DAY')).toBe(createHash('sha256').update('INT. A - DAY').digest('hex'));
    expect(hashSceneText('x')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('ignores CRLF, whitespace at line ends, blank lines at either end and Unicode composition', () => {
    const base = hashSceneText('INT. CAFÉ - DAY\n\nBob sits.');
    expect(hashSceneText('INT. CAFÉ - DAY\r\n\r\nBob sits.\r\n')).toBe(base);
    expect(hashSceneText('\n\nINT. CAFÉ - DAY   \n \t\nBob sits.\t\n\n')).toBe(base);
    expect(hashSceneText('INT. CAFE\u0301 - DAY\n\nBob sits.')).toBe(base);
  });

  it('changes when the words, their order or the inner blank lines change', () => {
    const base = hashSceneText('INT. A - DAY\n\nBob sits.');
    expect(hashSceneText('INT. A - DAY\n\nBob stands.')).not.toBe(base);
    expect(hashSceneText('INT. A - DAY\nBob sits.')).not.toBe(base);
    expect(hashSceneText('  INT. A - DAY\n\nBob sits.')).not.toBe(base);
  });
});

describe('normaliseSceneText', () => {
  it('normalises as documented', () => {
    expect(normaliseSceneText('\r\nA  \r\n\r\nB\t\r\n\r\n')).toBe('A\n\nB');
  });
});
