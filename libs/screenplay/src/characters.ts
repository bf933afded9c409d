import { collapseWhitespace } from './scene-heading';

/**
 * The name in a character cue, without what only says how the line is delivered: a
 * forcing `@`, a dual-dialogue `^`, emphasis markers and trailing extensions such as
 * `(V.O.)`, `(O.S.)` and `(CONT'D)`.
 */
export function characterName(cue: string): string {
  const name = cue
    .trim()
    .replace(/^@/, '')
    .replace(/\s*\^\s*$/, '')
    .replace(/(?:\s*\([^()]*\))+\s*$/, '')
    .replace(/[*_]/g, '');
  return collapseWhitespace(name);
}

/**
 * Distinct character names in order of first appearance. Names that differ only in case are
 * one character (`@McCLANE` and `MCCLANE`); the first spelling is kept.
 */
export function distinctCharacters(cues: Iterable<string>): string[] {
  const seen = new Map<string, string>();
  for (const cue of cues) {
    const name = characterName(cue);
    const key = name.toUpperCase();
    if (name !== '' && !seen.has(key)) seen.set(key, name);
  }
  return [...seen.values()];
}
