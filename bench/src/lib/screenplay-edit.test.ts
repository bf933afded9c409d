import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseScreenplay } from '@scenewise/screenplay';
import { describe, expect, it } from 'vitest';
import { addActionLines } from './screenplay-edit';
import { syntheticScreenplay } from './synthetic-screenplay';

const sample = readFileSync(join(__dirname, '../../../tools/samples/the-night-shift.fountain'), 'utf8');
const line = (position: number) => `A door bangs somewhere below: revision ${position}.`;

describe('addActionLines', () => {
  it.each([
    ['the sample, with forced headings, scene numbers, notes and repeated headings', sample, [0, 13, 16, 39]],
    ['a synthetic screenplay', syntheticScreenplay(60, 2), [3, 30, 59]],
  ])('changes exactly the chosen scenes of %s', (_name, source, positions) => {
    const before = parseScreenplay(source).scenes;
    const after = parseScreenplay(addActionLines(source, before.map((s) => s.heading), positions, line)).scenes;
    expect(after.map((s) => s.heading)).toEqual(before.map((s) => s.heading));
    const changed = after.flatMap((s, i) => (s.contentHash === before[i]!.contentHash ? [] : [i]));
    expect(changed).toEqual(positions);
    for (const position of positions) expect(after[position]!.text).toContain(line(position));
  });

  it('says which scene it cannot find', () => {
    expect(() => addActionLines('INT. A - DAY\n\nHi.\n', ['INT. B - DAY'], [0], line)).toThrow(/scene 0 \(INT\. B - DAY\) has no heading line/);
  });
});
