import { rules } from 'fountain-js';
import { normaliseLineEndings } from './decode';
import { classifyFountainHeading, parsePlainHeading } from './scene-heading';

export type ScreenplayFormat = 'fountain' | 'plain';

// Markup that plain text does not contain by accident: notes, boneyard, centered text and
// page breaks.
const FOUNTAIN_MARKUP = [/\[\[[^\n]*?\]\]/, /\/\*[\s\S]*?\*\//, /^[^\S\n]*>[^\n]*<[^\S\n]*$/m, /^={3,}[^\S\n]*$/m];

/**
 * Decides how to read a script whose format was not given. Fountain when:
 * 1. it opens with a Fountain title page (`Title:`, `Credit:`, `Author:`, … by fountain-js's
 *    own rule), or
 * 2. it has Fountain-only markup: a `[[note]]`, `/* boneyard *\/`, `> centered <` or `===`, or
 * 3. it has Fountain scene headings (INT./EXT./… or `.FORCED`, after a blank line) and they
 *    are at least as many as the heading lines Fountain would miss (numbered ones such as
 *    `12 INT. HOUSE - DAY 12`, or `Scene 3:`).
 * Plain text otherwise, including text with no heading at all.
 */
export function detectFormat(text: string): ScreenplayFormat {
  const source = normaliseLineEndings(text);
  if (rules.title_page.test(source)) return 'fountain';
  if (FOUNTAIN_MARKUP.some((markup) => markup.test(source))) return 'fountain';

  const lines = source.split('\n');
  let fountainHeadings = 0;
  let otherHeadings = 0;
  lines.forEach((line, i) => {
    const blankBefore = i === 0 || (lines[i - 1] ?? '').trim() === '';
    const blankAfter = (lines[i + 1] ?? '').trim() === '';
    const kind = classifyFountainHeading(line);
    const isForced = kind === 'forced' && blankAfter && /^\s*\.[\p{L}\p{N}]/u.test(line);
    if (blankBefore && (kind === 'standard' || isForced)) fountainHeadings++;
    else if (parsePlainHeading(line) !== null) otherHeadings++;
  });
  return fountainHeadings > 0 && fountainHeadings >= otherHeadings ? 'fountain' : 'plain';
}
