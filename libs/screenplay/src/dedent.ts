/** Removes the indentation that all non-blank lines share; blank lines become empty. */
export function dedentLines(lines: string[]): string[] {
  let common = Number.POSITIVE_INFINITY;
  for (const line of lines) {
    if (line.trim() !== '') common = Math.min(common, line.length - line.trimStart().length);
  }
  return lines.map((line) => (line.trim() === '' ? '' : line.slice(common)));
}
