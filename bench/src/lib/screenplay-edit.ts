/**
 * Edits scenes of a screenplay's source the way a writer revises a draft: a line of action
 * added at the top of some scenes, everything else left byte for byte, so every other scene
 * keeps its content hash.
 */

/** A source line as the heading the parser reads from it: no forcing `.`, no `#12#` scene number. */
const asHeading = (line: string) =>
  line
    .trim()
    .replace(/^\.(?!\.)/, '')
    .replace(/\s*#[^#\s]+#$/, '')
    .replace(/\s+/g, ' ')
    .toUpperCase();

/**
 * Adds `lineFor(position)` after the heading line of each scene at `positions`. `headings` are
 * every scene's heading in script order, as the API lists them; each is looked for in the
 * source after the previous one, so repeated headings are told apart.
 */
export function addActionLines(source: string, headings: string[], positions: number[], lineFor: (position: number) => string): string {
  const lines = source.split('\n');
  const headingLine: number[] = [];
  let from = 0;
  headings.forEach((heading, position) => {
    const wanted = asHeading(heading);
    const index = lines.findIndex((line, i) => i >= from && asHeading(line) === wanted);
    if (index === -1) throw new Error(`scene ${position} (${heading}) has no heading line in the source after line ${from + 1}`);
    headingLine.push(index);
    from = index + 1;
  });
  // From the last scene up, so earlier line numbers stay valid.
  for (const position of [...positions].sort((a, b) => b - a)) {
    const at = headingLine[position];
    if (at === undefined) throw new Error(`there is no scene ${position}`);
    lines.splice(at + 1, 0, '', lineFor(position));
  }
  return lines.join('\n');
}
