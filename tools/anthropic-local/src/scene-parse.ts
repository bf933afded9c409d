/** A scene split into the parts the local summary needs, following Fountain's rules loosely. */
export interface ParsedScene {
  heading: string;
  /** Speaking characters in order of first appearance, title-cased, extensions removed. */
  characters: string[];
  /** Action sentences in order. */
  actions: string[];
  dialogue: { speaker: string; text: string }[];
}

const headingPattern = /^(INT|EXT|EST|INT\.?\/EXT|I\/E)[.\s]/i;
const transitionPattern = /^(FADE (IN|OUT)|CUT TO BLACK|SMASH CUT|[A-Z\s]+TO:$)/;

function cleanHeading(line: string): string {
  return line
    .trim()
    .replace(/^\.(?=[A-Za-z0-9])/, '') // forced heading
    .replace(/\s*#[^#]+#$/, ''); // scene number
}

/** "MARA (V.O.)" → "MARA"; "@McCLANE" → "McCLANE"; "JOE ^" → "JOE". */
function stripCue(line: string): string {
  return line.trim().replace(/^@/, '').replace(/\^$/, '').replace(/\([^)]*\)/g, '').replace(/\s+/g, ' ').trim();
}

function isCueLine(line: string): boolean {
  const trimmed = line.trim();
  if (trimmed.startsWith('@')) return stripCue(trimmed).length > 0;
  const name = stripCue(trimmed);
  return (
    /[A-Z]/.test(name) &&
    !/[a-z]/.test(name) &&
    name.length <= 40 &&
    name.split(' ').length <= 4 &&
    !/[!?:.]$/.test(name) &&
    !headingPattern.test(name) &&
    !transitionPattern.test(name)
  );
}

/** "MARY-ANN O'BRIEN" → "Mary-Ann O'Brien". Names written with lower case (forced cues) are kept. */
export function formatName(cue: string): string {
  const name = stripCue(cue);
  if (/[a-z]/.test(name)) return name;
  return name
    .toLowerCase()
    .replace(/(^|[\s-])(\p{L})/gu, (_m, sep: string, ch: string) => sep + ch.toUpperCase())
    .replace(/(\b\p{L}')(\p{L})/gu, (_m, pre: string, ch: string) => pre + ch.toUpperCase());
}

export function splitSentences(paragraph: string): string[] {
  return paragraph
    .split(/(?<=[.!?])\s+(?=[^a-z])/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => (/[.!?"'…)]$/.test(s) ? s : `${s}.`));
}

function isSkippable(line: string): boolean {
  const trimmed = line.trim();
  return (
    headingPattern.test(trimmed) ||
    transitionPattern.test(trimmed) ||
    (trimmed.startsWith('>') && !trimmed.endsWith('<')) || // forced transition
    trimmed.startsWith('#') || // section
    trimmed.startsWith('=') || // synopsis
    trimmed.startsWith('~') // lyric
  );
}

export function parseScene(text: string): ParsedScene {
  const lines = text
    .replace(/\r\n?/g, '\n')
    .replace(/\/\*[\s\S]*?\*\//g, '') // boneyard
    .replace(/\[\[[\s\S]*?\]\]/g, '') // notes
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''));

  const first = lines.findIndex((l) => l.trim() !== '');
  const scene: ParsedScene = { heading: '', characters: [], actions: [], dialogue: [] };
  if (first === -1) return scene;
  scene.heading = cleanHeading(lines[first]!);

  let paragraph: string[] = [];
  const endParagraph = () => {
    if (paragraph.length > 0) scene.actions.push(...splitSentences(paragraph.join(' ')));
    paragraph = [];
  };

  let previousBlank = true;
  for (let i = first + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') {
      endParagraph();
      previousBlank = true;
      continue;
    }
    const next = lines[i + 1];
    if (previousBlank && next !== undefined && next.trim() !== '' && isCueLine(line)) {
      endParagraph();
      const speaker = formatName(line);
      if (!scene.characters.includes(speaker)) scene.characters.push(speaker);
      const spoken: string[] = [];
      while (i + 1 < lines.length && lines[i + 1]!.trim() !== '') {
        i++;
        const said = lines[i]!.trim();
        if (!(said.startsWith('(') && said.endsWith(')'))) spoken.push(said);
      }
      if (spoken.length > 0) scene.dialogue.push({ speaker, text: spoken.join(' ') });
      previousBlank = false;
      continue;
    }
    previousBlank = false;
    if (isSkippable(line)) {
      endParagraph();
      continue;
    }
    const action = line.trim().replace(/^!/, '').replace(/^>\s*(.*?)\s*<$/, '$1');
    if (action) paragraph.push(action);
  }
  endParagraph();
  scene.actions = scene.actions.map((sentence) => softenIntroductions(sentence, scene.characters));
  return scene;
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Action introduces characters in capitals ("MARA stands"); the summary reads better as "Mara stands". */
function softenIntroductions(sentence: string, characters: string[]): string {
  let result = sentence;
  for (const name of characters) {
    const caps = name.toUpperCase();
    if (caps === name) continue;
    result = result.replace(new RegExp(`(?<![\\p{L}])${escapeRegExp(caps)}(?![\\p{L}])`, 'gu'), name);
  }
  return result;
}
