import { parseScene, splitSentences } from './scene-parse';

/** The JSON object the summarizer asks for. */
export interface SceneSummary {
  summary: string;
  characters: string[];
  mood: string;
  keyEvents: string[];
}

const maxSummaryChars = 400;
const maxEventChars = 160;
const maxEvents = 3;

// Checked in this order, so a tie goes to the earlier mood.
const moodWords: [mood: string, words: string[]][] = [
  ['tense', ['gun', 'shoot', 'shot', 'blood', 'bleed', 'scream', 'knife', 'chase', 'run', 'running', 'ran', 'threat', 'danger', 'panic', 'fear', 'afraid', 'kill', 'dead', 'die', 'fight', 'attack', 'explode', 'explosion', 'alarm', 'siren', 'police', 'hide', 'trap', 'escape', 'weapon', 'hurry']],
  ['melancholy', ['cry', 'cri', 'tear', 'sob', 'grief', 'grieve', 'funeral', 'mourn', 'alone', 'lonely', 'goodbye', 'loss', 'lost', 'miss', 'sorrow', 'regret', 'weep', 'wept', 'sad']],
  ['mysterious', ['shadow', 'whisper', 'secret', 'strange', 'mystery', 'mysterious', 'fog', 'mist', 'silhouette', 'unknown', 'hidden', 'creak', 'eerie']],
  ['romantic', ['kiss', 'love', 'lover', 'embrace', 'darling', 'romance', 'romantic', 'caress', 'wedding']],
  ['light-hearted', ['laugh', 'smile', 'joke', 'party', 'parties', 'celebrate', 'celebration', 'cheer', 'grin', 'giggle', 'happy', 'dance', 'danc', 'fun', 'delight']],
];
const moodPatterns = moodWords.map(
  ([mood, words]) => [mood, new RegExp(`^(${words.join('|')})(s|es|ed|d|ing|ly|y|er|ers)?$`)] as const,
);

/** The mood whose words occur most often, or "neutral". */
export function guessMood(text: string): string {
  const words = text.toLowerCase().match(/[a-z]+/g) ?? [];
  let best = { mood: 'neutral', score: 0 };
  for (const [mood, pattern] of moodPatterns) {
    const score = words.filter((w) => pattern.test(w)).length;
    if (score > best.score) best = { mood, score };
  }
  return best.mood;
}

function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > max / 2 ? cut.slice(0, lastSpace) : cut).replace(/[\s,;:]+$/, '')}…`;
}

/** "A", "A and B", "A, B and C". */
function listNames(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** Finds the text between the first <scene> and </scene>, if there is one. */
export function findSceneBlock(text: string): string | undefined {
  return /<scene>([\s\S]*?)<\/scene>/i.exec(text)?.[1];
}

/** A deterministic stand-in for Claude's summary of one scene. */
export function summarizeScene(sceneText: string): SceneSummary {
  const scene = parseScene(sceneText);
  if (!scene.heading) return { summary: 'An empty scene.', characters: [], mood: 'neutral', keyEvents: [] };

  const who =
    scene.characters.length === 0
      ? 'no one speaks'
      : `${listNames(scene.characters)} ${scene.characters.length === 1 ? 'speaks' : 'talk'}`;
  const firstLine = scene.dialogue[0];
  const detail =
    scene.actions.length > 0
      ? scene.actions.slice(0, 2).join(' ')
      : firstLine
        ? `${firstLine.speaker} says: "${firstLine.text}"`
        : '';
  const summary = truncate(`At ${scene.heading}, ${who}.${detail ? ` ${detail}` : ''}`, maxSummaryChars);

  const events =
    scene.actions.length > 0
      ? scene.actions.slice(0, maxEvents)
      : scene.dialogue.slice(0, 2).map((d) => `${d.speaker}: ${d.text}`);

  const allText = [scene.heading, ...scene.actions, ...scene.dialogue.map((d) => d.text)].join(' ');
  return {
    summary,
    characters: scene.characters,
    mood: guessMood(allText),
    keyEvents: events.map((e) => truncate(e, maxEventChars)),
  };
}

/** The same JSON shape for a message with no scene block, so callers can always parse it. */
export function summarizeMessage(text: string): SceneSummary {
  const flat = text.replace(/\s+/g, ' ').trim();
  const words = flat ? flat.split(' ').length : 0;
  const opening = splitSentences(flat)[0] ?? '';
  return {
    summary: truncate(`No <scene> block found; the message has ${words} words${opening ? ` and begins: "${opening}"` : ''}`, maxSummaryChars),
    characters: [],
    mood: guessMood(flat),
    keyEvents: [],
  };
}

/**
 * The reply text for a user message: only the JSON object, derived from the scene. Whatever
 * the prompts ask for, nothing else is followed: this is a stand-in, not a model.
 */
export function answerPrompt(userText: string): string {
  const scene = findSceneBlock(userText);
  return JSON.stringify(scene === undefined ? summarizeMessage(userText) : summarizeScene(scene));
}
