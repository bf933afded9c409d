import { characterName } from './characters';
import { normaliseLineEndings } from './decode';
import { dedentLines } from './dedent';
import { isTransitionLike, parsePlainHeading } from './scene-heading';
import type { DraftPart, SceneDraft, ScriptDraft } from './scene-draft';

const BY_LINE = /^(?:(?:written|screenplay|teleplay|story)\s+)?by\b/i;
const CUE_NAME = /^[\p{Lu}0-9 .'’&-]+$/u;

/**
 * Reads a screenplay kept as plain text (typed, or exported from a PDF). A scene starts at
 * every line that looks like a scene heading (see `parsePlainHeading`); a character is an
 * all-caps line after a blank line with dialogue directly below it. A title page is
 * recognised by a `by` / `written by` line among its first lines; its first line is the
 * title, and everything before `FADE IN:` (or the first heading) belongs to it.
 */
export function parsePlainText(text: string): ScriptDraft {
  const lines = normaliseLineEndings(text).replace(/\f/g, '').split('\n');
  const preambleLines: string[] = [];
  const sections: { heading: string; lines: string[] }[] = [];
  for (const line of lines) {
    const heading = parsePlainHeading(line);
    if (heading !== null) sections.push({ heading, lines: [] });
    else (sections.at(-1)?.lines ?? preambleLines).push(line);
  }

  const title = findTitle(preambleLines);
  const scenes: SceneDraft[] = sections.map(({ heading, lines }) => ({ heading, ...readPart(lines) }));
  if (scenes.length === 0) {
    const part = readPart(preambleLines);
    return { title, preamble: { ...part, hasContent: part.blocks.length > 0 }, scenes };
  }
  const story = title === null ? preambleLines : afterFadeIn(preambleLines);
  const hasContent = story.some((line) => line.trim() !== '' && !isTransitionLike(line));
  return { title, preamble: { ...readPart(story), hasContent }, scenes };
}

function findTitle(lines: string[]): string | null {
  const firstLines = lines.map((line) => line.trim()).filter((line) => line !== '').slice(0, 12);
  const byLine = firstLines.findIndex((line) => BY_LINE.test(line));
  return byLine > 0 ? (firstLines[0] ?? null) : null;
}

function afterFadeIn(lines: string[]): string[] {
  const fadeIn = lines.findIndex((line) => isTransitionLike(line));
  return fadeIn === -1 ? [] : lines.slice(fadeIn);
}

/** Paragraphs without the indentation all lines share, and the character cues among them. */
function readPart(lines: string[]): DraftPart {
  const body = dedentLines(lines.map((line) => line.trimEnd()));

  const cues = body.filter((line, i) => {
    const previous = i === 0 ? '' : (body[i - 1] ?? '');
    const next = body[i + 1] ?? '';
    return previous === '' && next.trim() !== '' && isPlainCue(line);
  });
  const blocks = body
    .join('\n')
    .split(/\n{2,}/)
    .map((block) => block.replace(/^\n+|\n+$/g, ''))
    .filter((block) => block.trim() !== '');
  return { blocks, cues: cues.map((cue) => cue.trim()) };
}

/** `MARA`, `MARA (V.O.)`, `DR. OKAFOR (CONT'D)`: upper case, short, not a heading or transition. */
export function isPlainCue(line: string): boolean {
  const text = line.trim();
  const name = characterName(text);
  if (name === '' || name.length > 40 || name.split(' ').length > 5) return false;
  if (!CUE_NAME.test(name) || !/\p{Lu}/u.test(name) || /[.!?:,;]$/.test(name)) return false;
  return parsePlainHeading(text) === null && !isTransitionLike(text);
}
