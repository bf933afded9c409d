import { describe, expect, it } from 'vitest';
import { ScreenplayError } from './errors';
import { parseScreenplay } from './parse';

function refusal(run: () => unknown): ScreenplayError {
  try {
    run();
  } catch (err) {
    if (err instanceof ScreenplayError) return err;
    throw err;
  }
  throw new Error('expected a ScreenplayError');
}

const threeScenes = 'INT. A - DAY\n\nBOB\nOne.\n\nINT. B - DAY\n\nANN\nTwo.\n\nINT. C - DAY\n\nThree.';

describe('parseScreenplay', () => {
  it('numbers scenes from 0 in order and hashes each text', () => {
    const { format, title, scenes } = parseScreenplay(threeScenes);
    expect(format).toBe('fountain');
    expect(title).toBeNull();
    expect(scenes.map(({ position, heading, characters }) => ({ position, heading, characters }))).toEqual([
      { position: 0, heading: 'INT. A - DAY', characters: ['BOB'] },
      { position: 1, heading: 'INT. B - DAY', characters: ['ANN'] },
      { position: 2, heading: 'INT. C - DAY', characters: [] },
    ]);
    expect(scenes[2]?.text).toBe('INT. C - DAY\n\nThree.');
    expect(new Set(scenes.map((scene) => scene.contentHash)).size).toBe(3);
  });

  it('makes a text without any heading one scene, headed by its first line', () => {
    const { format, scenes } = parseScreenplay('A man walks into a bar.\nIt is empty.\n\nHe leaves.');
    expect(format).toBe('plain');
    expect(scenes).toHaveLength(1);
    expect(scenes[0]).toMatchObject({
      position: 0,
      heading: 'A man walks into a bar.',
      text: 'A man walks into a bar.\nIt is empty.\n\nHe leaves.',
      characters: [],
    });
  });

  it('heads a Fountain text without headings by its title, and cuts a long first line to 120 characters', () => {
    const titled = parseScreenplay('Title: Monologue\n\nHAMLET\nTo be, or not to be.');
    expect(titled.scenes.map(({ heading, text, characters }) => ({ heading, text, characters }))).toEqual([
      { heading: 'Monologue', text: 'Monologue\n\nHAMLET\nTo be, or not to be.', characters: ['HAMLET'] },
    ]);
    const long = 'word '.repeat(60);
    expect(parseScreenplay(long).scenes[0]?.heading).toBe(long.slice(0, 120).trimEnd());
  });

  it('makes a cold open before the first heading a scene headed OPENING', () => {
    const { scenes } = parseScreenplay('A phone rings in the dark.\n\nVOICE\nPick up.\n\nFADE IN:\n\nINT. A - DAY\n\nLight.');
    expect(scenes.map((scene) => [scene.heading, scene.characters])).toEqual([
      ['OPENING', ['VOICE']],
      ['INT. A - DAY', []],
    ]);
  });

  it('honours an explicit format', () => {
    const text = '1 INT. A - DAY 1\n\nBob.\n\n2 INT. B - DAY 2\n\nAnn.';
    expect(parseScreenplay(text).format).toBe('plain');
    expect(parseScreenplay(text).scenes.map((scene) => scene.heading)).toEqual(['INT. A - DAY', 'INT. B - DAY']);
    const asFountain = parseScreenplay(text, { format: 'fountain' });
    expect(asFountain.format).toBe('fountain');
    expect(asFountain.scenes).toHaveLength(1);
    expect(parseScreenplay(threeScenes, { format: 'plain' }).format).toBe('plain');
    expect(() => parseScreenplay(text, { format: 'fdx' as 'plain' })).toThrow(/unknown screenplay format "fdx"/);
  });

  it('gives the same hashes for CRLF, trailing spaces and a byte-order mark', () => {
    const messy = `\uFEFF${threeScenes.replace(/\n/g, '  \r\n')}`;
    const hashes = (text: string) => parseScreenplay(text).scenes.map((scene) => scene.contentHash);
    expect(hashes(messy)).toEqual(hashes(threeScenes));
  });

  it('refuses an empty script or one with only a title page', () => {
    expect(refusal(() => parseScreenplay(' \n ')).code).toBe('empty');
    const titleOnly = refusal(() => parseScreenplay('Title: Nothing Yet\nAuthor: Me\n'));
    expect(titleOnly.code).toBe('empty');
    expect(titleOnly.message).toBe('the script "Nothing Yet" has a title page but nothing after it');
  });

  it('refuses more scenes than maxScenes, naming both numbers', () => {
    const err = refusal(() => parseScreenplay(threeScenes, { maxScenes: 2 }));
    expect(err.code).toBe('too_many_scenes');
    expect(err.message).toBe('the script has 3 scenes; the limit is 2: split it into parts');
    expect(err.details).toEqual({ found: 3, limit: 2 });
    expect(parseScreenplay(threeScenes, { maxScenes: 3 }).scenes).toHaveLength(3);
  });

  it('refuses a scene longer than maxSceneChars, naming the scene and both numbers', () => {
    const err = refusal(() => parseScreenplay(threeScenes, { maxSceneChars: 20 }));
    expect(err.code).toBe('scene_too_large');
    expect(err.message).toMatch(/^scene 1 \(INT\. A - DAY\) is 22 characters; the limit is 20 per scene/);
    expect(err.details).toEqual({ found: 22, limit: 20, position: 0 });
    expect(() => parseScreenplay(threeScenes, { maxSceneChars: 22 })).not.toThrow();
  });
});
