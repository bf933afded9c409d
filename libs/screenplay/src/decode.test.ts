import { describe, expect, it } from 'vitest';
import { decodeScriptText, findInvalidUtf8 } from './decode';
import { ScreenplayError } from './errors';

function refusal(run: () => unknown): ScreenplayError {
  try {
    run();
  } catch (err) {
    if (err instanceof ScreenplayError) return err;
    throw err;
  }
  throw new Error('expected a ScreenplayError');
}

describe('decodeScriptText', () => {
  it('returns UTF-8 text unchanged when there is nothing to fix', () => {
    expect(decodeScriptText(Buffer.from('INT. CAFÉ - DAY\n\nKeiko orders.\n'))).toBe('INT. CAFÉ - DAY\n\nKeiko orders.\n');
    expect(decodeScriptText(new Uint8Array(Buffer.from('EXT. ROAD')))).toBe('EXT. ROAD');
  });

  it('refuses an empty upload', () => {
    const err = refusal(() => decodeScriptText(Buffer.alloc(0)));
    expect(err.code).toBe('empty');
    expect(err.message).toBe('the script is empty');
    expect(refusal(() => decodeScriptText('')).code).toBe('empty');
  });

  it('refuses whitespace only', () => {
    const err = refusal(() => decodeScriptText(Buffer.from(' \n\t\r\n  ')));
    expect(err.code).toBe('empty');
    expect(err.message).toMatch(/only whitespace/);
    expect(refusal(() => decodeScriptText('\uFEFF   ')).code).toBe('empty');
  });

  it('refuses NUL bytes as binary and says where the first one is', () => {
    const bytes = Buffer.concat([Buffer.from('INT. HOUSE -'), Buffer.from([0, 1, 2])]);
    const err = refusal(() => decodeScriptText(bytes));
    expect(err.code).toBe('binary');
    expect(err.message).toBe('the upload looks like binary data (NUL byte at offset 12), not a text screenplay');
    expect(err.details.offset).toBe(12);
    expect(refusal(() => decodeScriptText('abc\u0000')).details.offset).toBe(3);
  });

  it('refuses text that is mostly control characters', () => {
    const err = refusal(() => decodeScriptText(Buffer.from([0x1b, 0x02, 0x41, 0x03, 0x42, 0x07])));
    expect(err.code).toBe('binary');
    expect(err.message).toMatch(/4 control characters in 6/);
  });

  it('accepts the odd control character (a form feed from a PDF export, one stray escape)', () => {
    const text = `INT. HOUSE - DAY\f\n${'A long line of action. '.repeat(10)}\u001b`;
    expect(decodeScriptText(text)).toBe(text);
  });

  it('refuses invalid UTF-8 and names the byte and its offset', () => {
    const err = refusal(() => decodeScriptText(Buffer.from([0xff, 0xfe, 0xfd])));
    expect(err.code).toBe('invalid_utf8');
    expect(err.message).toBe(
      'the script is not valid UTF-8 text (byte 0xFF at offset 0); save it as UTF-8 and upload it again',
    );
    // Latin-1 "café": 0xE9 is not followed by continuation bytes.
    const latin1 = refusal(() => decodeScriptText(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a])));
    expect(latin1.details.offset).toBe(3);
  });

  it('explains UTF-16 instead of calling it binary', () => {
    const utf16 = Buffer.from('\uFEFFINT. HOUSE', 'utf16le');
    const err = refusal(() => decodeScriptText(utf16));
    expect(err.code).toBe('invalid_utf8');
    expect(err.message).toMatch(/UTF-16/);
  });

  it('strips a byte-order mark', () => {
    expect(decodeScriptText(Buffer.from([0xef, 0xbb, 0xbf, ...Buffer.from('Title: X')]))).toBe('Title: X');
    expect(decodeScriptText('\uFEFFTitle: X')).toBe('Title: X');
  });

  it('normalises CRLF and lone CR to LF', () => {
    expect(decodeScriptText(Buffer.from('A\r\nB\rC\n'))).toBe('A\nB\nC\n');
  });

  it('refuses an upload over the size limit, counting UTF-8 bytes', () => {
    const err = refusal(() => decodeScriptText(Buffer.alloc(2048, 0x61), { maxBytes: 1024 }));
    expect(err.code).toBe('too_large');
    expect(err.message).toBe('the script is 2.0 KiB; the largest accepted is 1.0 KiB');
    expect(err.details).toEqual({ found: 2048, limit: 1024 });
    expect(refusal(() => decodeScriptText('é'.repeat(6), { maxBytes: 11 })).details.found).toBe(12);
    expect(decodeScriptText('é'.repeat(6), { maxBytes: 12 })).toBe('éééééé');
  });
});

describe('findInvalidUtf8', () => {
  it('finds overlong forms, surrogates, truncated sequences and stray continuation bytes', () => {
    expect(findInvalidUtf8(Buffer.from('ok ✓ 🎬'))).toBe(-1);
    expect(findInvalidUtf8(Uint8Array.from([0x41, 0xc0, 0xaf]))).toBe(1);
    expect(findInvalidUtf8(Uint8Array.from([0xed, 0xa0, 0x80]))).toBe(0);
    expect(findInvalidUtf8(Uint8Array.from([0x41, 0x42, 0xe2, 0x82]))).toBe(2);
    expect(findInvalidUtf8(Uint8Array.from([0x80]))).toBe(0);
    expect(findInvalidUtf8(Uint8Array.from([0xf4, 0x90, 0x80, 0x80]))).toBe(0);
  });
});
