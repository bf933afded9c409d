import { describe, expect, it } from 'vitest';
import { assembleScenes, OPENING_HEADING } from './scene-draft';

const noPreamble = { blocks: [], cues: [], hasContent: false };

describe('assembleScenes', () => {
  it('puts the heading first in every scene text and names its characters', () => {
    const scenes = assembleScenes({
      title: null,
      preamble: noPreamble,
      scenes: [{ heading: 'INT. A - DAY', blocks: ['Bob sits.', 'BOB (V.O.)\nHi.'], cues: ['BOB (V.O.)'] }],
    });
    expect(scenes).toEqual([{ heading: 'INT. A - DAY', text: 'INT. A - DAY\n\nBob sits.\n\nBOB (V.O.)\nHi.', characters: ['BOB'] }]);
  });

  it('makes real content before the first heading a scene of its own', () => {
    const scenes = assembleScenes({
      title: 'T',
      preamble: { blocks: ['A phone rings.'], cues: [], hasContent: true },
      scenes: [{ heading: 'INT. A - DAY', blocks: [], cues: [] }],
    });
    expect(scenes.map((scene) => scene.heading)).toEqual([OPENING_HEADING, 'INT. A - DAY']);
    expect(scenes[0]?.text).toBe('OPENING\n\nA phone rings.');
  });

  it('drops a preamble without real content', () => {
    const scenes = assembleScenes({
      title: null,
      preamble: { blocks: ['FADE IN:'], cues: [], hasContent: false },
      scenes: [{ heading: 'INT. A - DAY', blocks: [], cues: [] }],
    });
    expect(scenes.map((scene) => scene.text)).toEqual(['INT. A - DAY']);
  });

  it('makes a script without headings one scene headed by its title or first line', () => {
    const titled = assembleScenes({ title: 'Notes', preamble: { blocks: ['Line one.'], cues: [], hasContent: true }, scenes: [] });
    expect(titled).toEqual([{ heading: 'Notes', text: 'Notes\n\nLine one.', characters: [] }]);
    const untitled = assembleScenes({ title: null, preamble: { blocks: ['Line one.\nLine two.'], cues: [], hasContent: true }, scenes: [] });
    expect(untitled).toEqual([{ heading: 'Line one.', text: 'Line one.\nLine two.', characters: [] }]);
    expect(assembleScenes({ title: 'Empty', preamble: noPreamble, scenes: [] })).toEqual([]);
  });
});
