import { rules } from 'fountain-js';
import { normaliseLineEndings } from './decode';
import { classifyFountainHeading } from './scene-heading';

const BONEYARD = /\/\*[\s\S]*?\*\//g;
// A note may span lines, but a blank line inside one needs two spaces (fountain.io/syntax):
// refusing other blank lines keeps an unclosed `[[` from swallowing the rest of the script.
const NOTE = /\[\[(?:(?!\]\])(?!\n(?! {2}\n)[^\S\n]*\n)[\s\S])*?\]\]/g;

/**
 * Prepares Fountain text for fountain-js, which reads blank-line separated blocks and knows
 * an element only when it fills a block:
 * - whitespace at line ends goes, so a line of two spaces is a blank line. Fountain reads it
 *   as a line break inside a block, but editors leave such lines behind, and one of them
 *   under a heading would merge the heading into the next paragraph;
 * - boneyard and notes are removed first, and a comment that fills its lines takes the lines
 *   with it, so `INT. HOUSE - DAY` followed by a `[[note]]` line stays a heading (fountain-js
 *   would read the two lines as a character named after the heading);
 * - section (`#`) and synopsis (`=`) lines at the start of a block are removed, so one written
 *   straight above a heading or action does not turn the block into action;
 * - a standard heading (INT./EXT./…) preceded by a blank line but followed directly by text
 *   gets the blank line Fountain asks for; editors are lenient here and writers rely on it;
 * - a lyric (`~`) sung straight after a character cue loses its `~`: fountain-js 1.2.4 throws
 *   on it (it looks up the dialogue line before the lyric, and there is none). The words stay.
 */
export function prepareFountainSource(text: string): string {
  const source = normaliseLineEndings(text)
    .replace(/\f/g, '')
    .replace(/[^\S\n]+$/gm, '');
  return fixBlocks(removeComments(removeComments(source, BONEYARD), NOTE).split('\n')).join('\n');
}

function fixBlocks(lines: string[]): string[] {
  const out: string[] = [];
  lines.forEach((line, i) => {
    const previous = out.at(-1) ?? '';
    const atBlockStart = previous.trim() === '';
    if (atBlockStart && (rules.section.test(line) || rules.synopsis.test(line))) return;
    const isCue = !atBlockStart && (out.at(-2) ?? '').trim() === '' && rules.dialogue.test(`${previous}\nx`);
    if (isCue && /^\s*~/.test(line)) {
      out.push(line.replace(/^(\s*)~/, '$1'));
      return;
    }
    out.push(line);
    const next = lines[i + 1];
    if (atBlockStart && next !== undefined && next.trim() !== '' && classifyFountainHeading(line) === 'standard') {
      out.push('');
    }
  });
  return out;
}

/**
 * Removes every match of `pattern` (global). A match that fills its lines takes the lines with
 * it; one inside a line leaves single spacing behind. Linear in the length of the source.
 */
export function removeComments(source: string, pattern: RegExp): string {
  const done: string[] = [];
  let line = ''; // output since the last newline: what a match shares its line with
  let cursor = 0;
  const append = (text: string): void => {
    const newline = text.lastIndexOf('\n');
    if (newline === -1) {
      line += text;
      return;
    }
    done.push(line, text.slice(0, newline + 1));
    line = text.slice(newline + 1);
  };
  for (const match of source.matchAll(pattern)) {
    const start = match.index;
    const end = start + match[0].length;
    if (start < cursor) continue;
    append(source.slice(cursor, start));
    const newline = source.indexOf('\n', end);
    const lineEnd = newline === -1 ? source.length : newline;
    const after = source.slice(end, lineEnd);
    if (line.trim() === '' && after.trim() === '') {
      line = '';
      cursor = Math.min(lineEnd + 1, source.length);
      continue;
    }
    if (after.trim() === '') line = line.trimEnd();
    cursor = end;
    if (line.trim() === '' || /[^\S\n]$/.test(line)) cursor += /^[^\S\n]*/.exec(after)![0].length;
  }
  append(source.slice(cursor));
  return done.join('') + line;
}
