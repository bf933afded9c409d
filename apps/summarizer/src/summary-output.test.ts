import { describe, expect, it } from 'vitest';
import { InvalidOutputError, parseSummaryOutput } from './summary-output';

describe('parseSummaryOutput', () => {
  it('finds the JSON object even with prose around it', () => {
    const output = parseSummaryOutput('Here you go:\n{"summary": "Mara waits.", "characters": ["MARA"], "mood": "tense", "keyEvents": []}\nThanks');
    expect(output).toEqual({ summary: 'Mara waits.', characters: ['MARA'], mood: 'tense', keyEvents: [] });
  });

  it('fills optional fields and trims', () => {
    expect(parseSummaryOutput('{"summary": "  Joe runs.  "}')).toEqual({ summary: 'Joe runs.', characters: [], mood: '', keyEvents: [] });
  });

  it.each([
    ['no JSON', 'I cannot do that.', /did not answer with a JSON object/],
    ['broken JSON', '{"summary": "x",}', /malformed JSON/],
    ['no summary', '{"mood": "calm"}', /summary/],
    ['an oversize summary', JSON.stringify({ summary: 'x'.repeat(2_001) }), /summary/],
    ['too many events', JSON.stringify({ summary: 'x', keyEvents: Array(13).fill('e') }), /keyEvents/],
  ])('refuses %s', (_name, text, message) => {
    expect(() => parseSummaryOutput(text)).toThrow(InvalidOutputError);
    expect(() => parseSummaryOutput(text)).toThrow(message);
  });
});
