import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeScriptText } from './decode';
import { parseScreenplay } from './parse';

const sampleBytes = readFileSync(new URL('../../../tools/samples/the-night-shift.fountain', import.meta.url));
const sample = decodeScriptText(sampleBytes);
const parsed = parseScreenplay(sample);
const scene = (position: number) => {
  const found = parsed.scenes[position];
  if (!found) throw new Error(`no scene at ${position}`);
  return found;
};

const HEADINGS = [
  'EXT. MILLBROOK DISPATCH CENTER - NIGHT',
  'INT. DISPATCH CENTER - BREAK ROOM - NIGHT',
  'INT. DISPATCH CENTER - CONSOLE ROOM - NIGHT',
  'INT. OKAFOR HOUSE - KITCHEN - NIGHT',
  'INT. DISPATCH CENTER - CONSOLE ROOM - LATER',
  'INT./EXT. PATROL CAR - RIVER ROAD - NIGHT',
  'INT. BRIGGS HOUSE - FRONT ROOM - NIGHT',
  'INT. DISPATCH CENTER - CONSOLE ROOM - CONTINUOUS',
  'INT. BRIGGS HOUSE - FRONT ROOM - CONTINUOUS',
  "INT. DISPATCH CENTER - GLORIA'S OFFICE - NIGHT",
  'EXT. ROUTE NINE LOW-WATER CROSSING - NIGHT',
  'INT. DISPATCH CENTER - CONSOLE ROOM - CONTINUOUS',
  "INT./EXT. HECTOR'S PICKUP - IN THE RIVER - NIGHT",
  'INT. DISPATCH CENTER - CONSOLE ROOM - CONTINUOUS',
  'EXT. ROUTE NINE LOW-WATER CROSSING - NIGHT',
  "TESS'S SPOTLIGHT POV",
  'EXT. ROUTE NINE LOW-WATER CROSSING - CONTINUOUS',
  'INT. BRIGGS HOUSE - FRONT ROOM - NIGHT',
  'INT. CITY REGIONAL DISPATCH - NIGHT',
  'INT. DISPATCH CENTER - CONSOLE ROOM - NIGHT',
  "INT. HECTOR'S PICKUP - CONTINUOUS",
  "EXT. HECTOR'S PICKUP - ROOF - CONTINUOUS",
  'INT. DISPATCH CENTER - CONSOLE ROOM - NIGHT',
  'INT. BRIGGS HOUSE - FRONT ROOM - CONTINUOUS',
  'INT. DISPATCH CENTER - CONSOLE ROOM - CONTINUOUS',
  'EXT. RIVERBANK - THE OLD SYCAMORE - NIGHT',
  'INT. HARLAN LOCK AND DAM - CONTROL ROOM - NIGHT',
  'INT. DISPATCH CENTER - CONSOLE ROOM - CONTINUOUS',
  'INT. BRIGGS HOUSE - FRONT ROOM - NIGHT',
  'EXT. TESSEL RIVER - THE OLD FORD - NIGHT',
  'INT. DISPATCH CENTER - CONSOLE ROOM - CONTINUOUS',
  'INT. OKAFOR HOUSE - KITCHEN - NIGHT',
  'INT. BRIGGS HOUSE - FRONT ROOM - NIGHT',
  'INT. DISPATCH CENTER - BREAK ROOM - PRE-DAWN',
  'INT. DISPATCH CENTER - CONSOLE ROOM - DAWN',
  'EXT. MILLBROOK DISPATCH CENTER - DAWN',
  "INT./EXT. MARA'S CAR - RIVER ROAD - MORNING",
  'EXT. BRIGGS HOUSE - PORCH - MORNING',
  'INT. BRIGGS HOUSE - FRONT ROOM - MORNING',
  'INT. OKAFOR HOUSE - KITCHEN - MORNING',
];

describe('tools/samples/the-night-shift.fountain', () => {
  it('is Fountain with its title from the title page', () => {
    expect(parsed.format).toBe('fountain');
    expect(parsed.title).toBe('THE NIGHT SHIFT');
  });

  it('has its 40 scenes in order, scene numbers and the forcing period stripped', () => {
    expect(parsed.scenes.map((s) => s.heading)).toEqual(HEADINGS);
    expect(parsed.scenes.map((s) => s.position)).toEqual(HEADINGS.map((_, i) => i));
    for (const s of parsed.scenes) expect(s.text.startsWith(`${s.heading}\n\n`)).toBe(true);
  });

  it('drops FADE IN: before the first heading instead of making an OPENING scene', () => {
    expect(scene(0).text).not.toContain('FADE IN');
    expect(scene(0).text).toMatch(/^EXT\. MILLBROOK DISPATCH CENTER - NIGHT\n\nRain hammers/);
  });

  it('names the speaking characters of each scene, without extensions or the dual-dialogue caret', () => {
    expect(scene(0).characters).toEqual([]);
    expect(scene(1).characters).toEqual(['GLORIA', 'MARA', 'DEV']);
    expect(scene(3).characters).toEqual(['SAM', 'MARA']);
    expect(scene(7).characters).toEqual(['MARA', 'DEV', 'WALTER']);
    expect(scene(13).characters).toEqual(['MARA', 'HECTOR', 'DEV', 'GLORIA']);
    expect(scene(15).characters).toEqual([]);
    expect(scene(17).characters).toEqual(['WALTER', 'RECORDED VOICE']);
    expect(scene(21).characters).toEqual(['TESS', 'HECTOR']);
    expect(scene(26).characters).toEqual(['RAY', 'DEV']);
    expect(scene(39).characters).toEqual(['SAM', 'MARA']);
    const everyone = new Set(parsed.scenes.flatMap((s) => s.characters));
    expect([...everyone].sort()).toEqual(
      ['DEV', 'GLORIA', 'HECTOR', 'MARA', 'PRIYA', 'RAY', 'RECORDED VOICE', 'SAM', 'TESS', 'WALTER'].sort(),
    );
  });

  it('keeps notes, boneyard, sections, synopses and markup out of every scene text', () => {
    const all = parsed.scenes.map((s) => s.text).join('\n');
    for (const hidden of [
      'Keep the names straight',
      'VENDING MACHINE',
      "Even you're leaving me",
      'ACT ONE',
      'ACT TWO',
      'ACT THREE',
      "Mara Okafor's last night",
      'Morning comes, the center goes dark',
    ]) {
      expect(all).not.toContain(hidden);
    }
    for (const markup of ['[[', ']]', '/*', '*/', '===', '#', '~', '^', '**', '> ', ' <']) {
      expect(all).not.toContain(markup);
    }
  });

  it('renders dialogue, parentheticals, dual dialogue, lyrics, centered text and transitions as read', () => {
    expect(scene(3).text).toContain('MARA (V.O.)\n(over the phone)\nDoing what?');
    expect(scene(2).text).toContain("MARA (CONT'D)\nMillbrook nine-one-one");
    expect(scene(13).text).toContain('DEV\nThe city says forty minutes for the boat.\n\nGLORIA\nStation Two has a rope team');
    expect(scene(23).text).toContain(
      "WALTER (CONT'D)\nDown by the water the sycamore stands,\nwait for me there with the night in your hands.",
    );
    expect(scene(34).text).toContain('DAWN\n\n5:58 A.M.\n\nMara types');
    expect(scene(34).text).toContain('Calls about the lights on the river. Listen to him.');
    expect(scene(34).text.endsWith('CUT TO:')).toBe(true);
    expect(scene(9).text.endsWith('hangs one back on its nail.\n\nSMASH CUT TO:')).toBe(true);
    expect(scene(39).text.endsWith('FADE OUT.\n\nTHE END')).toBe(true);
  });

  it('gives every scene its own hash', () => {
    expect(new Set(parsed.scenes.map((s) => s.contentHash)).size).toBe(40);
  });

  it('parses identically with CRLF line endings, straight or through decodeScriptText', () => {
    const crlf = sampleBytes.toString('utf8').replace(/\n/g, '\r\n');
    expect(crlf).toContain('\r\n');
    const direct = parseScreenplay(crlf);
    const decoded = parseScreenplay(decodeScriptText(Buffer.from(crlf, 'utf8')));
    for (const other of [direct, decoded]) {
      expect(other.title).toBe(parsed.title);
      expect(other.scenes).toEqual(parsed.scenes);
    }
  });
});

describe('tools/samples/short-plain.txt', () => {
  const plain = parseScreenplay(decodeScriptText(readFileSync(new URL('../../../tools/samples/short-plain.txt', import.meta.url))));

  it('is plain text with a title, five numbered scenes and their characters', () => {
    expect(plain.format).toBe('plain');
    expect(plain.title).toBe('THE LAST BUS HOME');
    expect(plain.scenes.map((s) => [s.heading, s.characters])).toEqual([
      ['EXT. DEPOT ROAD BUS STOP - NIGHT', ['RUTH']],
      ['INT. BUS - CONTINUOUS', ['KOFI', 'RUTH']],
      ['INT. BUS - MOVING - LATER', ['KOFI', 'RUTH']],
      ['EXT. ELM STREET - NIGHT', ['MAN', 'RUTH']],
      ['INT. BUS - NIGHT', []],
    ]);
  });

  it('keeps the title page out of the first scene and the text readable', () => {
    expect(plain.scenes[0]?.text).not.toMatch(/Written by|FADE IN/);
    expect(plain.scenes[0]?.text).toMatch(/^EXT\. DEPOT ROAD BUS STOP - NIGHT\n\nSodium light on wet tarmac\./);
    expect(plain.scenes[1]?.text).toContain('               KOFI\n     I\'m going back to the depot, madam.');
  });
});
