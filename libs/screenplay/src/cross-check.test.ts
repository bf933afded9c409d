import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { parseScreenplay } from './parse';
import { OPENING_HEADING } from './scene-draft';

// aw-parser is afterwriting's Fountain parser: written separately from fountain-js, line by
// line rather than block by block. It has no types, so the part used here is declared.
interface AwToken {
  type: string;
  text: string;
}
interface AwParser {
  parser: {
    parse(script: string, cfg: Record<string, boolean>): { title_page: AwToken[]; tokens: AwToken[] };
  };
}
const aw = createRequire(import.meta.url)('aw-parser') as AwParser;

function awHeadings(text: string): string[] {
  // Fountain ignores indentation outside action; aw-parser's heading rule does not, so the
  // lines are unindented for it.
  const unindented = text
    .split(/\r?\n/)
    .map((line) => line.trimStart())
    .join('\n');
  const { tokens } = aw.parser.parse(unindented, { print_headers: true, print_actions: true, print_dialogues: true });
  return tokens.filter((token) => token.type === 'scene_heading').map((token) => comparable(token.text));
}

function ourHeadings(text: string): string[] {
  return parseScreenplay(text)
    .scenes.map((scene) => scene.heading)
    .filter((heading) => heading !== OPENING_HEADING)
    .map(comparable);
}

/** Both print headings upper-case; compare without emphasis markers or doubled spaces. */
function comparable(heading: string): string {
  return heading.replace(/[*_]/g, '').replace(/\s+/g, ' ').trim().toUpperCase();
}

function read(relative: string): string {
  return readFileSync(new URL(relative, import.meta.url), 'utf8');
}

describe('scene headings agree with an independent Fountain parser (aw-parser)', () => {
  it('on tools/samples/the-night-shift.fountain', () => {
    const text = read('../../../tools/samples/the-night-shift.fountain');
    const ours = ourHeadings(text);
    expect(ours).toHaveLength(40);
    expect(awHeadings(text)).toEqual(ours);
  });

  it('on fixtures/harbour-lights.fountain (indentation, INT/EXT, I/E, EST., lower case, scene numbers)', () => {
    const text = read('./fixtures/harbour-lights.fountain');
    const ours = ourHeadings(text);
    expect(ours).toEqual([
      'EST. PORT WELLAN - NIGHT',
      'INT. HARBOUR OFFICE - NIGHT',
      "INT/EXT HARBOUR MASTER'S VAN - QUAY ROAD - NIGHT",
      'THROUGH THE BINOCULARS',
      'EXT. CRANE POINT LIGHTHOUSE - NIGHT',
      'INT. CRANE POINT LIGHTHOUSE - LAMP ROOM - CONTINUOUS',
      'I/E THE SAOIRSE - WHEELHOUSE - NIGHT',
      'EXT. CRANE POINT - SHED - NIGHT',
      'INT. CRANE POINT LIGHTHOUSE - LAMP ROOM - NIGHT',
      'EXT. SEA OFF CRANE POINT - CONTINUOUS',
      'INT. HARBOUR OFFICE - LATER',
    ]);
    expect(awHeadings(text)).toEqual(ours);
  });
});

describe('fixtures/harbour-lights.fountain', () => {
  const parsed = parseScreenplay(read('./fixtures/harbour-lights.fountain'));

  it('reads the indented multi-line title and makes the cold open a scene of its own', () => {
    expect(parsed.title).toBe('Harbour Lights');
    expect(parsed.scenes[0]).toMatchObject({
      position: 0,
      heading: 'OPENING',
      characters: ['MAEVE'],
      text: 'OPENING\n\nThe foghorn sounds twice across black water. A gull lands on a bollard, thinks better of it, and leaves.\n\nMAEVE (V.O.)\nForty years the light on Crane Point never missed a night.\n\nFADE IN:',
    });
    expect(parsed.scenes).toHaveLength(12);
  });

  it('handles forced characters, tabs, forced action, notes and boneyard', () => {
    const byHeading = new Map(parsed.scenes.map((scene) => [scene.heading, scene]));
    expect(byHeading.get('INT. HARBOUR OFFICE - NIGHT')?.characters).toEqual(['McKENNA', 'MAEVE']);
    expect(byHeading.get('EXT. CRANE POINT LIGHTHOUSE - NIGHT')?.text).toContain(
      'MAEVE\n(calling up the stairs)\nTom? Tom, are you up there?\n\nOLD TOM (O.S.)\nWhere else would I be?',
    );
    expect(byHeading.get('EXT. CRANE POINT - SHED - NIGHT')?.text).toContain('TWO BULBS LEFT.\nShe takes both, and runs.');
    expect(byHeading.get('EXT. CRANE POINT - SHED - NIGHT')?.characters).toEqual([]);
    expect(byHeading.get("INT/EXT HARBOUR MASTER'S VAN - QUAY ROAD - NIGHT")?.text).toContain('beam stutters and goes out.');
    const all = parsed.scenes.map((scene) => scene.text).join('\n');
    expect(all).not.toMatch(/Fixture:|too cute|must not be found|\[\[|\/\*/);
  });
});
