import { ScreenplayError } from './errors';

/** @default 5 MiB: a feature screenplay is about 200 KB of text. */
export const DEFAULT_MAX_SCRIPT_BYTES = 5 * 1024 * 1024;

export interface DecodeOptions {
  /**
   * Largest upload accepted, in bytes (UTF-8 bytes for a string).
   * @default DEFAULT_MAX_SCRIPT_BYTES (5 MiB)
   */
  maxBytes?: number;
}

// Text has next to no control characters; above this share the upload is not a screenplay.
const MAX_CONTROL_RATIO = 0.05;

/**
 * Turns an upload into screenplay text: checks that it is non-empty UTF-8 text, strips a
 * byte-order mark and normalises CRLF and CR line endings to LF.
 * @throws ScreenplayError `empty`, `too_large`, `binary` or `invalid_utf8`
 */
export function decodeScriptText(
  input: Buffer | Uint8Array | string,
  options: DecodeOptions = {},
): string {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_SCRIPT_BYTES;
  const text = typeof input === 'string' ? checkString(input, maxBytes) : decodeBytes(input, maxBytes);

  const controls = countControlCharacters(text);
  if (controls > 0 && controls / text.length > MAX_CONTROL_RATIO) {
    throw new ScreenplayError(
      'binary',
      `the upload looks like binary data (${controls} control characters in ${text.length}), not a text screenplay`,
      { found: controls },
    );
  }

  const normalised = normaliseLineEndings(text.replace(/^\uFEFF/, ''));
  if (normalised.trim() === '') {
    throw new ScreenplayError('empty', 'the script is empty (it contains only whitespace)');
  }
  return normalised;
}

export function normaliseLineEndings(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

function checkString(input: string, maxBytes: number): string {
  if (input.length === 0) throw new ScreenplayError('empty', 'the script is empty');
  checkSize(Buffer.byteLength(input, 'utf8'), maxBytes);
  const nul = input.indexOf('\u0000');
  if (nul !== -1) {
    throw new ScreenplayError(
      'binary',
      `the upload looks like binary data (NUL character at offset ${nul}), not a text screenplay`,
      { offset: nul },
    );
  }
  return input;
}

function decodeBytes(bytes: Uint8Array, maxBytes: number): string {
  if (bytes.length === 0) throw new ScreenplayError('empty', 'the script is empty');
  checkSize(bytes.length, maxBytes);
  if (bytes.length >= 2 && bytes.length % 2 === 0 && isUtf16Bom(bytes[0], bytes[1])) {
    throw new ScreenplayError(
      'invalid_utf8',
      'the script is UTF-16 text, not UTF-8; save it as UTF-8 and upload it again',
      { offset: 0 },
    );
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    throw new ScreenplayError(
      'binary',
      `the upload looks like binary data (NUL byte at offset ${nul}), not a text screenplay`,
      { offset: nul },
    );
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const offset = findInvalidUtf8(bytes);
    const byte = (bytes[offset] ?? 0).toString(16).toUpperCase().padStart(2, '0');
    throw new ScreenplayError(
      'invalid_utf8',
      `the script is not valid UTF-8 text (byte 0x${byte} at offset ${offset}); save it as UTF-8 and upload it again`,
      { offset },
    );
  }
}

function checkSize(size: number, maxBytes: number): void {
  if (size > maxBytes) {
    throw new ScreenplayError(
      'too_large',
      `the script is ${formatBytes(size)}; the largest accepted is ${formatBytes(maxBytes)}`,
      { found: size, limit: maxBytes },
    );
  }
}

function isUtf16Bom(first: number | undefined, second: number | undefined): boolean {
  return (first === 0xff && second === 0xfe) || (first === 0xfe && second === 0xff);
}

/** Tab, LF, CR and form feed (page breaks in text exported from PDFs) are text. */
function countControlCharacters(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const isText = c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d;
    if ((c < 0x20 && !isText) || (c >= 0x7f && c <= 0x9f)) count++;
  }
  return count;
}

// Lead bytes whose second byte has a narrower range: no overlong forms, no surrogates, nothing
// past U+10FFFF.
const SECOND_BYTE_RANGE: Record<number, [number, number]> = {
  0xe0: [0xa0, 0xbf],
  0xed: [0x80, 0x9f],
  0xf0: [0x90, 0xbf],
  0xf4: [0x80, 0x8f],
};

/** Offset of the first byte that starts an invalid UTF-8 sequence, or -1 (RFC 3629 table). */
export function findInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      i++;
      continue;
    }
    const length = lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    if (length === 0) return i;
    const [low, high] = SECOND_BYTE_RANGE[lead] ?? [0x80, 0xbf];
    for (let k = 1; k < length; k++) {
      const byte = bytes[i + k];
      const [min, max] = k === 1 ? [low, high] : [0x80, 0xbf];
      if (byte === undefined || byte < min || byte > max) return i;
    }
    i += length;
  }
  return -1;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}
