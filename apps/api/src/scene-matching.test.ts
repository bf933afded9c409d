import { describe, expect, it } from 'vitest';
import { matchScenes } from './scene-matching';

/** A scene written `HEADING: text`; the text stands in for its content hash. */
const scene = (spec: string) => {
  const [heading, text = ''] = spec.split(': ');
  return { heading: heading!, contentHash: `${heading}|${text}` };
};
const storedScript = (...specs: string[]) => specs.map((spec, i) => ({ id: `s${i}`, ...scene(spec) }));
const revisedScript = (...specs: string[]) => specs.map(scene);

/** The match, as stored ids and the revised scenes' specs. */
function match(stored: string[], revised: string[]) {
  const m = matchScenes(storedScript(...stored), revisedScript(...revised));
  const spec = (s: { heading: string; contentHash: string }) => `${s.heading}: ${s.contentHash.split('|')[1]}`;
  return {
    unchanged: m.unchanged.map((p) => `${p.id}=${spec(p.scene)}`),
    edited: m.edited.map((p) => `${p.id}=${spec(p.scene)}`),
    added: m.added.map(spec),
    removed: m.removed,
  };
}

describe('matchScenes', () => {
  it('keeps every scene of an identical script', () => {
    expect(match(['A: a', 'B: b'], ['A: a', 'B: b'])).toEqual({ unchanged: ['s0=A: a', 's1=B: b'], edited: [], added: [], removed: [] });
  });

  it('keeps a moved scene by its text', () => {
    expect(match(['A: a', 'B: b', 'C: c'], ['C: c', 'A: a', 'B: b'])).toMatchObject({ unchanged: ['s2=C: c', 's0=A: a', 's1=B: b'], edited: [] });
  });

  it('pairs an edited scene with its old row by heading, even with a scene inserted before it', () => {
    expect(match(['A: a', 'B: b', 'C: c'], ['A: a', 'X: x', 'B: b2', 'C: c'])).toEqual({
      unchanged: ['s0=A: a', 's2=C: c'],
      edited: ['s1=B: b2'],
      added: ['X: x'],
      removed: [],
    });
  });

  it('never pairs scenes of different headings: a past job keeps the scene it summarized as it was', () => {
    expect(match(['A: a', 'B: b', 'C: c'], ['A: a', 'B2: b2', 'C: c'])).toEqual({ unchanged: ['s0=A: a', 's2=C: c'], edited: [], added: ['B2: b2'], removed: ['s1'] });
    expect(match(['A: a'], ['B: b'])).toEqual({ unchanged: [], edited: [], added: ['B: b'], removed: ['s0'] });
  });

  it('prefers the scene that stood in the same place over an earlier one with the same heading', () => {
    // Two kitchen scenes; the first is cut and the second rewritten.
    expect(match(['K: k1', 'A: a', 'K: k2', 'B: b'], ['A: a', 'K: k2 rewritten', 'B: b'])).toMatchObject({
      edited: ['s2=K: k2 rewritten'],
      removed: ['s0'],
    });
    // The same, with a scene inserted at the start shifting every position.
    expect(match(['K: k1', 'A: a', 'K: k2', 'B: b'], ['X: x', 'A: a', 'K: k2 rewritten', 'B: b'])).toMatchObject({
      edited: ['s2=K: k2 rewritten'],
      added: ['X: x'],
      removed: ['s0'],
    });
  });

  it('pairs a scene that moved and changed by its heading', () => {
    expect(match(['A: a', 'B: b', 'C: c'], ['B: b2', 'A: a', 'C: c'])).toEqual({
      unchanged: ['s0=A: a', 's2=C: c'],
      edited: ['s1=B: b2'],
      added: [],
      removed: [],
    });
  });

  it('compares headings without regard to case and spacing', () => {
    expect(match(['A: a', 'int. kitchen  - night: b', 'C: c'], ['A: a', 'X: x', 'INT. KITCHEN - NIGHT: b2', 'C: c'])).toMatchObject({
      edited: ['s1=INT. KITCHEN - NIGHT: b2'],
    });
  });

  it('removes what is gone and adds what is new', () => {
    expect(match(['A: a', 'B: b', 'C: c'], ['A: a', 'C: c', 'D: d'])).toEqual({ unchanged: ['s0=A: a', 's2=C: c'], edited: [], added: ['D: d'], removed: ['s1'] });
    expect(match(['A: a'], ['B: b', 'C: c'])).toEqual({ unchanged: [], edited: [], added: ['B: b', 'C: c'], removed: ['s0'] });
  });

  it('pairs repeated texts in script order, one row each', () => {
    expect(match(['A: a', 'B: b', 'A: a'], ['A: a', 'A: a'])).toEqual({ unchanged: ['s0=A: a', 's2=A: a'], edited: [], added: [], removed: ['s1'] });
    expect(match(['A: a'], ['A: a', 'A: a'])).toEqual({ unchanged: ['s0=A: a'], edited: [], added: ['A: a'], removed: [] });
  });

  it('accounts for every scene exactly once', () => {
    const stored = storedScript('A: a', 'B: b', 'B: b', 'C: c', 'D: d', 'E: e', 'F: f');
    const revised = revisedScript('F: f', 'B: b', 'X: x', 'D: d2', 'Y: y', 'A: a2', 'B: b', 'Z: z');
    const m = matchScenes(stored, revised);
    const ids = [...m.unchanged, ...m.edited].map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids, ...m.removed].sort()).toEqual(stored.map((s) => s.id).sort());
    expect(m.unchanged.length + m.edited.length + m.added.length).toBe(revised.length);
  });
});
