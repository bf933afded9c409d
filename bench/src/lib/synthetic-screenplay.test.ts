import { parseScreenplay } from '@scenewise/screenplay';
import { describe, expect, it } from 'vitest';
import { sceneHeading, syntheticScreenplay } from './synthetic-screenplay';

describe('syntheticScreenplay', () => {
  it.each([1, 40, 300, 2000])('parses into exactly %i scenes, each its own', (count) => {
    const parsed = parseScreenplay(syntheticScreenplay(count), { format: 'fountain', maxScenes: 10_000 });
    expect(parsed.scenes).toHaveLength(count);
    expect(new Set(parsed.scenes.map((s) => s.heading)).size).toBe(count);
    expect(new Set(parsed.scenes.map((s) => s.contentHash)).size).toBe(count);
    expect(parsed.scenes[0]!.heading).toBe(sceneHeading(0));
  });

  it('is deterministic per seed', () => {
    expect(syntheticScreenplay(10, 7)).toBe(syntheticScreenplay(10, 7));
    expect(syntheticScreenplay(10, 7)).not.toBe(syntheticScreenplay(10, 8));
  });

  it("has scenes about the size of the sample's", () => {
    const parsed = parseScreenplay(syntheticScreenplay(100), { format: 'fountain' });
    const mean = parsed.scenes.reduce((sum, s) => sum + s.text.length, 0) / parsed.scenes.length;
    expect(mean).toBeGreaterThan(300);
    expect(mean).toBeLessThan(800);
  });
});
