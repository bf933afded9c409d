import { createHash } from 'node:crypto';

/**
 * The form of a scene's text that its hash is taken over: Unicode NFC, LF line endings, no
 * whitespace at line ends, no blank lines at either end. Two copies of a scene that differ
 * only in these ways are the same scene.
 */
export function normaliseSceneText(text: string): string {
  return text
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/^\n+|\n+$/g, '');
}

/** SHA-256 (hex) of the normalised scene text. */
export function hashSceneText(text: string): string {
  return createHash('sha256').update(normaliseSceneText(text), 'utf8').digest('hex');
}
