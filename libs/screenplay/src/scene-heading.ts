import { rules } from 'fountain-js';

/** Headings longer than this are cut (a heading made from a first line of prose). */
export const MAX_HEADING_CHARS = 120;

/**
 * How Fountain reads a single line as a scene heading, by fountain-js's own rule: `standard`
 * for INT/EXT/EST/INT./EXT/INT/EXT/I/E followed by a dot or a space (any case), `forced` for a
 * line that starts with one period. Whether the blank lines around it are there is the
 * caller's question.
 */
export function classifyFountainHeading(line: string): 'standard' | 'forced' | null {
  const match = rules.scene_heading.exec(line);
  if (!match) return null;
  return match[1] !== undefined ? 'standard' : 'forced';
}

const PLAIN_PREFIX = String.raw`(?:int\.?\s?\/\s?ext|ext\.?\s?\/\s?int|i\s?\/\s?e|e\s?\/\s?i|int|ext|est)`;
const SCENE_NUMBER = String.raw`[0-9]{1,4}[a-z]{0,2}\.?`;
const PLAIN_HEADING = new RegExp(
  String.raw`^\s*(?:(${SCENE_NUMBER})\s+)?(${PLAIN_PREFIX}(?:\.|\s)\s*\S.*?)\s*$`,
  'i',
);
const TRAILING_SCENE_NUMBER = new RegExp(String.raw`\s+${SCENE_NUMBER}$`, 'i');
const NUMBERED_SCENE = /^\s*(scene\s+(?:[0-9]{1,4}[a-z]?|[ivxlc]{1,7}))\s*(?:[:.\-–—]\s*(.*?))?\s*$/i;

/**
 * Reads a plain-text scene heading: `INT. HOUSE - DAY`, any case, optionally numbered on
 * both sides as shooting scripts are (`12 INT. HOUSE - DAY 12`, `12A EXT. ROAD 12A`), or
 * `Scene 3:` / `SCENE 3 - THE KITCHEN`. Returns the heading without its scene numbers.
 */
export function parsePlainHeading(line: string): string | null {
  if (line.trim().length > MAX_HEADING_CHARS) return null;
  const heading = PLAIN_HEADING.exec(line);
  if (heading) {
    const [, leadingNumber, rest = ''] = heading;
    // A trailing number is a scene number only when a leading one says the script numbers
    // its scenes: "INT. APARTMENT 12" names a flat.
    const text = leadingNumber ? rest.replace(TRAILING_SCENE_NUMBER, '') : rest;
    return collapseWhitespace(text);
  }
  const numbered = NUMBERED_SCENE.exec(line);
  if (numbered) {
    const [, label = '', title] = numbered;
    return collapseWhitespace(title ? `${label}: ${title}` : label);
  }
  return null;
}

/**
 * A line that only moves between scenes (`FADE IN:`, `CUT TO:`, `FADE OUT.`): before the
 * first scene it is not content worth a scene of its own.
 */
export function isTransitionLike(line: string): boolean {
  const text = line.trim();
  if (text.length === 0 || text.length > 40 || /\p{Ll}/u.test(text)) return false;
  return /\p{Lu}.*:$/u.test(text) || /^(?:FADE (?:OUT|TO BLACK)|CUT TO BLACK)\.$/.test(text);
}

export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** A heading for a script without one: its title, else its first line, cut to 120 characters. */
export function fallbackHeading(title: string | null, text: string): string {
  const firstLine = text.split('\n').find((line) => line.trim() !== '') ?? '';
  const heading = collapseWhitespace(title ?? firstLine);
  return heading.length > MAX_HEADING_CHARS ? heading.slice(0, MAX_HEADING_CHARS).trimEnd() : heading;
}
