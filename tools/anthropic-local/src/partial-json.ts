/**
 * The value a cut-off JSON text had reached: open strings, arrays and objects are closed and a
 * dangling key or half-written literal dropped, the way a streaming client reads partial JSON.
 * What a tool_use block holds when max_tokens stops it mid-input.
 */
export function parsePartialJson(text: string): unknown {
  for (let end = text.length; end >= 0; end--) {
    const closed = close(text.slice(0, end));
    if (closed === undefined) continue;
    try {
      return JSON.parse(closed) as unknown;
    } catch {
      // cut one more character and try again
    }
  }
  return {};
}

function close(prefix: string): string | undefined {
  const open: string[] = [];
  let inString = false;
  for (let i = 0; i < prefix.length; i++) {
    const c = prefix[i]!;
    if (inString) {
      if (c === '\\') {
        if (i === prefix.length - 1) return undefined;
        i++;
      } else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') open.push('}');
    else if (c === '[') open.push(']');
    else if (c === '}' || c === ']') open.pop();
  }
  let text = inString ? `${prefix}"` : prefix;
  text = text.trimEnd();
  if (text.endsWith(',')) text = text.slice(0, -1);
  if (text.endsWith(':')) return undefined;
  return text + open.reverse().join('');
}
