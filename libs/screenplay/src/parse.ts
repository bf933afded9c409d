import { normaliseLineEndings } from './decode';
import { detectFormat, type ScreenplayFormat } from './detect-format';
import { ScreenplayError } from './errors';
import { parseFountain } from './fountain';
import { parsePlainText } from './plain-text';
import { assembleScenes, type AssembledScene } from './scene-draft';
import { hashSceneText } from './scene-hash';

/** @default 1000: a feature film has 40 to 200 scenes. */
export const DEFAULT_MAX_SCENES = 1000;
/** @default 50_000: about fifteen pages, a very long scene. */
export const DEFAULT_MAX_SCENE_CHARS = 50_000;

export interface ParseOptions {
  /**
   * How to read the text; `auto` decides by `detectFormat`.
   * @default 'auto'
   */
  format?: ScreenplayFormat | 'auto';
  /** @default DEFAULT_MAX_SCENES (1000) */
  maxScenes?: number;
  /** Largest scene text, in characters. @default DEFAULT_MAX_SCENE_CHARS (50,000) */
  maxSceneChars?: number;
}

export interface ParsedScene {
  /** 0-based, in script order. */
  position: number;
  heading: string;
  /** The scene as a reader sees it, heading first; no notes, boneyard, sections or synopses. */
  text: string;
  /** Distinct speaking characters in order of first appearance, without extensions. */
  characters: string[];
  /** SHA-256 hex of the normalised text (see `normaliseSceneText`). */
  contentHash: string;
}

export interface ParsedScreenplay {
  format: ScreenplayFormat;
  title: string | null;
  scenes: ParsedScene[];
}

/**
 * Splits a screenplay into scenes.
 * @throws ScreenplayError `empty`, `too_many_scenes` or `scene_too_large`
 */
export function parseScreenplay(text: string, options: ParseOptions = {}): ParsedScreenplay {
  const source = normaliseLineEndings(text.replace(/^\uFEFF/, ''));
  if (source.trim() === '') throw new ScreenplayError('empty', 'the script is empty');

  const requested = options.format ?? 'auto';
  if (!['auto', 'fountain', 'plain'].includes(requested)) {
    throw new TypeError(`unknown screenplay format "${requested}": use 'auto', 'fountain' or 'plain'`);
  }
  const format = requested === 'auto' ? detectFormat(source) : requested;
  const draft = format === 'fountain' ? parseFountain(source) : parsePlainText(source);
  const scenes = assembleScenes(draft);
  if (scenes.length === 0) {
    throw new ScreenplayError(
      'empty',
      draft.title === null
        ? 'the script has no text outside notes, boneyard and sections'
        : `the script "${draft.title}" has a title page but nothing after it`,
    );
  }
  checkLimits(scenes, options.maxScenes ?? DEFAULT_MAX_SCENES, options.maxSceneChars ?? DEFAULT_MAX_SCENE_CHARS);

  return {
    format,
    title: draft.title,
    scenes: scenes.map((scene, position) => ({ position, ...scene, contentHash: hashSceneText(scene.text) })),
  };
}

function checkLimits(scenes: AssembledScene[], maxScenes: number, maxSceneChars: number): void {
  if (scenes.length > maxScenes) {
    throw new ScreenplayError(
      'too_many_scenes',
      `the script has ${scenes.length} scenes; the limit is ${maxScenes}: split it into parts`,
      { found: scenes.length, limit: maxScenes },
    );
  }
  const position = scenes.findIndex((scene) => scene.text.length > maxSceneChars);
  const scene = scenes[position];
  if (scene) {
    throw new ScreenplayError(
      'scene_too_large',
      `scene ${position + 1} (${scene.heading}) is ${scene.text.length} characters; the limit is ` +
        `${maxSceneChars} per scene: check that its scene headings are on lines of their own`,
      { found: scene.text.length, limit: maxSceneChars, position },
    );
  }
}
