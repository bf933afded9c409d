import { distinctCharacters } from './characters';
import { fallbackHeading } from './scene-heading';

/**
 * Heading of the scene made from content before the first scene heading (a cold open), when
 * that content is real: action, dialogue, centered text or lyrics, not only `FADE IN:`.
 */
export const OPENING_HEADING = 'OPENING';

/** Paragraphs and character cues, in reading order. */
export interface DraftPart {
  /** Paragraphs as a reader sees them (no markup, notes or boneyard), heading excluded. */
  blocks: string[];
  /** Character cues as written, extensions included. */
  cues: string[];
}

export interface SceneDraft extends DraftPart {
  heading: string;
}

/** What a parser found: the title, what came before the first heading, and the scenes. */
export interface ScriptDraft {
  title: string | null;
  preamble: DraftPart & { hasContent: boolean };
  scenes: SceneDraft[];
}

export interface AssembledScene {
  heading: string;
  text: string;
  characters: string[];
}

export function emptyPart(): DraftPart {
  return { blocks: [], cues: [] };
}

/**
 * Turns a parser's draft into scenes. Real content before the first heading becomes a scene
 * of its own, headed `OPENING`; a script without any heading is one scene headed by its
 * title or, failing that, its first line. The text of every scene starts with its heading.
 */
export function assembleScenes(draft: ScriptDraft): AssembledScene[] {
  const { preamble } = draft;
  if (draft.scenes.length === 0) {
    const body = preamble.blocks.join('\n\n');
    if (body.trim() === '') return [];
    const heading = fallbackHeading(draft.title, body);
    const text = body.startsWith(heading) ? body : `${heading}\n\n${body}`;
    return [{ heading, text, characters: distinctCharacters(preamble.cues) }];
  }
  const scenes = preamble.hasContent ? [{ heading: OPENING_HEADING, ...preamble }, ...draft.scenes] : draft.scenes;
  return scenes.map((scene) => ({
    heading: scene.heading,
    text: [scene.heading, ...scene.blocks].join('\n\n'),
    characters: distinctCharacters(scene.cues),
  }));
}
