import { describe, expect, it } from 'vitest';
import { createTextSource, cutAtWord, fillText, proseAnswer } from './text-source';
import { scene } from './testing';

describe('createTextSource', () => {
  const source = createTextSource(`<doc>\n${scene}\nThe 3 of them wait for 20 minutes.</doc>`);

  it('finds sentences, keeping headings and names apart from the prose around them', () => {
    expect(source.sentences).toEqual([
      'MARA stands at the sink.',
      'Rain hammers the window.',
      'We should go.',
      'The 3 of them wait for 20 minutes.',
    ]);
  });

  it('finds capitalised words, short phrases and numbers', () => {
    expect(source.names).toEqual(['Mara', 'Kitchen', 'Night', 'Rain', 'Joe']);
    expect(source.phrases[0]).toBe('MARA stands at the sink');
    expect(source.numbers).toEqual([3, 20]);
  });

  it('hashes the same text and tag to the same number', () => {
    expect(source.hash('a')).toBe(createTextSource(`<doc>\n${scene}\nThe 3 of them wait for 20 minutes.</doc>`).hash('a'));
    expect(source.hash('a')).not.toBe(source.hash('b'));
  });

  it('rejoins prose wrapped over several lines', () => {
    expect(createTextSource('The rain falls\non the old roof. It stops.').sentences).toEqual(['The rain falls on the old roof.']);
  });
});

describe('text helpers', () => {
  it('fills an exact length from the sentences, never ending on a space', () => {
    const source = createTextSource(scene);
    for (const n of [1, 24, 25, 100, 5000]) {
      const text = fillText(source, n);
      expect(text).toHaveLength(n);
      expect(text).not.toMatch(/\s$/);
    }
    expect(fillText(createTextSource(''), 30)).toHaveLength(30);
  });

  it('cuts after a whole word', () => {
    expect(cutAtWord('one two three', 9)).toBe('one two');
    expect(cutAtWord('one two three', 50)).toBe('one two three');
    expect(cutAtWord('abcdefghij', 4)).toBe('abcd');
  });
});

describe('proseAnswer', () => {
  it('answers up to three sentences of the message, the same each time', () => {
    expect(proseAnswer(scene)).toBe('MARA stands at the sink. Rain hammers the window. We should go.');
    expect(proseAnswer(scene)).toBe(proseAnswer(scene));
  });

  it('quotes a message without sentences, and says when it is empty', () => {
    expect(proseAnswer('Hi there')).toBe('The message says: "Hi there".');
    expect(proseAnswer('  ')).toBe('The message is empty.');
  });
});
