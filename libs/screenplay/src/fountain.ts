import { Fountain, InlineLexer, rules, type InlineTypes, type Token } from 'fountain-js';
import { dedentLines } from './dedent';
import { prepareFountainSource } from './fountain-source';
import { collapseWhitespace, isTransitionLike } from './scene-heading';
import { emptyPart, type DraftPart, type SceneDraft, type ScriptDraft } from './scene-draft';

/** fountain-js's inline lexer, rendering emphasis, escapes and line breaks as plain text. */
class PlainTextLexer extends InlineLexer {
  static override inline: Record<InlineTypes, string> = {
    note: '',
    line_break: '\n',
    bold_italic_underline: '$1',
    bold_underline: '$1',
    italic_underline: '$1',
    bold_italic: '$1',
    bold: '$1',
    italic: '$1',
    underline: '$1',
    escape: '$1',
  };
}

/** Fountain markup to the text a reader sees: `*bold*` → `bold`, `\*` → `*`. */
export function renderInline(text: string): string {
  // reconstruct() escapes HTML first; undo it, `&amp;` last so `&amp;lt;` stays `&lt;`.
  return PlainTextLexer.reconstruct(text)
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .trim();
}

/**
 * Reads Fountain with fountain-js and groups its tokens into scenes. Sections, synopses,
 * notes, boneyard and page breaks are for the writer and are left out of scene text; scene
 * numbers are dropped from headings, which are upper-cased as a formatted script prints them.
 */
export function parseFountain(text: string, options: { chunkChars?: number } = {}): ScriptDraft {
  const tokens = tokenize(prepareFountainSource(text), options.chunkChars ?? CHUNK_CHARS);
  let title: string | null = null;
  const preamble = { ...emptyPart(), hasContent: false };
  const scenes: SceneDraft[] = [];
  let part: DraftPart = preamble;
  let dialogue: string[] | null = null;

  const addBlock = (block: string, isContent: boolean): void => {
    if (block === '') return;
    part.blocks.push(block);
    if (isContent && part === preamble) preamble.hasContent = true;
  };

  for (const token of tokens) {
    const raw = token.text ?? '';
    if (token.is_title) {
      if (token.type === 'title') title = collapseWhitespace(renderInline(raw)) || null;
      continue;
    }
    if (dialogue && ['character', 'parenthetical', 'dialogue', 'lyrics'].includes(token.type)) {
      if (token.type === 'character') part.cues.push(raw);
      dialogue.push(renderInline(raw));
      continue;
    }
    switch (token.type) {
      case 'scene_heading': {
        const scene = { heading: collapseWhitespace(renderInline(raw)).toUpperCase(), ...emptyPart() };
        scenes.push(scene);
        part = scene;
        break;
      }
      case 'action': {
        const block = renderInline(dedent(raw));
        addBlock(block, !isTransitionLike(block));
        break;
      }
      case 'centered':
      case 'lyrics':
        addBlock(renderInline(raw), true);
        break;
      case 'transition':
        addBlock(renderInline(raw), false);
        break;
      case 'dialogue_begin':
        dialogue = [];
        break;
      case 'dialogue_end':
        addBlock((dialogue ?? []).join('\n'), true);
        dialogue = null;
        break;
      default:
        // section, synopsis, note, page_break, spaces and dual-dialogue markers: not read.
        break;
    }
  }
  return { title, preamble, scenes };
}

// fountain-js copies its token array for every token it adds, so its time grows with the
// square of the script's length (a 1,000-scene script took a second, 5 MB would take minutes).
// It is given the script in chunks instead: blocks never span a blank line, so cutting at one
// leaves the tokens the same, as long as no chunk starts like a title page.
const CHUNK_CHARS = 16_000;

function tokenize(source: string, chunkChars: number): Token[] {
  return chunkAtBlankLines(source, chunkChars).flatMap((chunk) => new Fountain().parse(chunk, true).tokens);
}

/** Cuts after a blank line once a chunk has `size` characters. Joined with `\n`, the chunks are the source. */
export function chunkAtBlankLines(source: string, size: number): string[] {
  const lines = source.split('\n');
  const chunks: string[] = [];
  let start = 0;
  let length = 0;
  for (let i = 1; i < lines.length; i++) {
    const previous = lines[i - 1] ?? '';
    const line = lines[i] ?? '';
    length += previous.length + 1;
    const opening = `${line}\n${lines[i + 1] ?? ''}`;
    if (length >= size && previous.trim() === '' && line.trim() !== '' && !rules.title_page.test(opening)) {
      chunks.push(lines.slice(start, i).join('\n'));
      start = i;
      length = 0;
    }
  }
  chunks.push(lines.slice(start).join('\n'));
  return chunks;
}

/** Action keeps its indentation in Fountain; drop only what all its lines share. */
function dedent(text: string): string {
  return dedentLines(text.split('\n')).join('\n');
}
