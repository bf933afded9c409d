/**
 * Synthetic Fountain screenplays of any length: every scene has its own heading and text
 * (so every scene is its own summary), about the size of the sample's scenes (~450 chars),
 * with two speaking characters and a few action lines. Deterministic for a given `seed`.
 */
import { createPrng } from '@scenewise/anthropic-local';

const places = ['KITCHEN', 'ROOFTOP', 'PRECINCT', 'DINER', 'HOSPITAL CORRIDOR', 'PARKING GARAGE', 'LIBRARY', 'TRAIN PLATFORM', 'MOTEL ROOM', 'FERRY DECK'];
const times = ['NIGHT', 'DAY', 'DAWN', 'DUSK'];
const names = ['MARA', 'DEV', 'GLORIA', 'ELLIS', 'PRIYA', 'TOMAS', 'JUNE', 'OSKAR', 'LENA', 'RAFE', 'NADIA', 'COLE'];
const actions = [
  'Rain streaks the window. A radio mutters in the next room.',
  'A kettle starts to whistle and nobody moves to take it off.',
  'Fluorescent lights buzz overhead; one of them flickers and dies.',
  'Somewhere below, a door slams and footsteps hurry away.',
  'A phone buzzes face-down on the table, again and again.',
  'The clock on the wall is ten minutes fast, as it always has been.',
  'Wind pushes a paper cup across the floor until it stops against a boot.',
];
const lines = [
  'You said this would be over by midnight.',
  'I said a lot of things. Most of them were true.',
  'Then tell me which part was not.',
  'We do not have time for this. Not tonight.',
  'If we leave now, nobody has to know we were here.',
  'Everybody already knows. That is the problem.',
  'Give me one reason to stay.',
  'Because I am asking you to.',
];

export function sceneHeading(index: number): string {
  const place = places[index % places.length]!;
  const time = times[Math.floor(index / places.length) % times.length]!;
  return `${index % 2 === 0 ? 'INT.' : 'EXT.'} ${place} ${index + 1} - ${time}`;
}

export function syntheticScreenplay(sceneCount: number, seed = 1): string {
  const random = createPrng(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const scenes: string[] = [];
  for (let i = 0; i < sceneCount; i++) {
    const first = pick(names);
    const second = pick(names.filter((n) => n !== first));
    scenes.push(
      [
        sceneHeading(i),
        '',
        `${pick(actions)} ${first} waits by the door, counting under their breath: ${i + 1}.`,
        '',
        first,
        pick(lines),
        '',
        second,
        pick(lines),
        '',
        `${pick(actions)} ${second} looks away first.`,
        '',
        first,
        `${pick(lines)} Scene ${i + 1}, take ${Math.floor(random() * 90) + 10}.`,
      ].join('\n'),
    );
  }
  return `Title: Synthetic Benchmark Script (${sceneCount} scenes)\nAuthor: scenewise bench\n\n${scenes.join('\n\n')}\n`;
}
