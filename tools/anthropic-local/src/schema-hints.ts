/**
 * Constraints that the SDK's `transformJSONSchema` (behind `zodOutputFormat`) moves out of a
 * schema the API would refuse and into its description, as a last paragraph such as
 * `{minLength: 1, maxLength: 2000}`: keys, then values written with JSON.stringify.
 * A model reads them as instructions; so does the generator.
 */
export function readHints(description: unknown): Record<string, unknown> {
  if (typeof description !== 'string') return {};
  const text = description.slice(description.lastIndexOf('\n\n') + 1).trim();
  if (!text.startsWith('{') || !text.endsWith('}')) return {};
  const hints: Record<string, unknown> = {};
  let pos = 1;
  while (pos < text.length - 1) {
    const colon = text.indexOf(': ', pos);
    if (colon === -1) return {};
    const key = text.slice(pos, colon);
    if (!/^[$\w-]+$/.test(key)) return {};
    const end = endOfJsonValue(text, colon + 2);
    if (end === undefined) return {};
    try {
      hints[key] = JSON.parse(text.slice(colon + 2, end)) as unknown;
    } catch {
      return {};
    }
    if (text.startsWith(', ', end) && end + 2 < text.length - 1) pos = end + 2;
    else if (end === text.length - 1) pos = end;
    else return {};
  }
  return hints;
}

/** Where the JSON value starting at `start` ends (exclusive), or undefined. */
function endOfJsonValue(text: string, start: number): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') {
        inString = false;
        if (depth === 0) return i + 1;
      }
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') {
      if (depth === 0) return i;
      depth--;
      if (depth === 0) return i + 1;
    } else if (c === ',' && depth === 0) return i;
  }
  return undefined;
}
