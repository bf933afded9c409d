import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SceneSummaryOutputSchema } from './scene-summary.task';
import { extractJson, readOutput, structuredOutput } from './structured-output';

const read = (json: unknown) => readOutput(SceneSummaryOutputSchema, json);

describe('structuredOutput', () => {
  it('asks the API for the schema, with the caps it cannot enforce moved into descriptions', () => {
    const { format } = structuredOutput(SceneSummaryOutputSchema);
    expect(format.type).toBe('json_schema');
    expect(format.schema).toMatchObject({ type: 'object', additionalProperties: false, required: ['summary', 'characters', 'mood', 'keyEvents'] });
    const summary = (format.schema['properties'] as Record<string, { type: string; description: string; maxLength?: number }>)['summary']!;
    expect(summary.type).toBe('string');
    expect(summary.maxLength).toBeUndefined();
    expect(summary.description).toMatch(/maxLength: 2000/);
  });
});

describe('readOutput', () => {
  it('takes a well-formed answer as it is, trimmed, with defaults for what is missing', () => {
    expect(read({ summary: '  Joe runs.  ' })).toEqual({ ok: true, value: { summary: 'Joe runs.', characters: [], mood: '', keyEvents: [] }, repairs: [] });
  });

  it('cuts over-long fields to their cap and drops extra items, naming each repair', () => {
    const reading = read({ summary: 'A long day. '.repeat(400), mood: 'm'.repeat(81), characters: ['Ann', '', 'Bo'], keyEvents: Array(20).fill('e') });
    expect(reading.ok).toBe(true);
    if (!reading.ok) return;
    expect(reading.value.summary.length).toBeLessThanOrEqual(2_000);
    expect(reading.value.mood).toBe('m'.repeat(80));
    expect(reading.value.characters).toEqual(['Ann', 'Bo']);
    expect(reading.value.keyEvents).toHaveLength(12);
    expect(reading.repairs.join('\n')).toMatch(/summary/);
    expect(reading.repairs.join('\n')).toMatch(/keyEvents/);
  });

  it('defaults an optional field of the wrong type, and drops unknown fields', () => {
    expect(read({ summary: 'Fine.', mood: 7, characters: 'Ann', admin: true })).toMatchObject({ ok: true, value: { summary: 'Fine.', mood: '', characters: [] } });
  });

  it.each([
    ['no summary', { mood: 'calm' }, /summary/],
    ['an empty summary', { summary: '   ' }, /summary: Too small/],
    ['a summary that is not text', { summary: { text: 'x' } }, /summary/],
    ['not an object', ['summary'], /root/],
  ])('refuses %s, naming it', (_name, json, problem) => {
    const reading = read(json);
    expect(reading.ok).toBe(false);
    if (!reading.ok) expect(reading.problem).toMatch(problem);
  });

  it('works for any schema: nested objects and arrays of objects', () => {
    const Outline = z.object({ acts: z.array(z.object({ title: z.string().max(10), scenes: z.array(z.int()).max(2) })).max(1) });
    expect(readOutput(Outline, { acts: [{ title: 'The beginning', scenes: [1, 2, 3] }, { title: 'x', scenes: [] }] })).toMatchObject({
      ok: true,
      value: { acts: [{ title: 'The beginn', scenes: [1, 2] }] },
    });
  });
});

describe('extractJson', () => {
  it('reads structured output as it is, and finds the object inside prose otherwise', () => {
    expect(extractJson('{"summary": "x"}', true)).toEqual({ ok: true, json: { summary: 'x' } });
    expect(extractJson('Here you go:\n```json\n{"summary": "x"}\n```', false)).toEqual({ ok: true, json: { summary: 'x' } });
  });

  it.each([
    ['prose', 'I cannot summarize this scene.', false, /did not answer with a JSON object/],
    ['broken JSON', '{"summary": "x",}', false, /malformed JSON/],
    ['JSON cut off', '{"summary": "x', true, /malformed JSON/],
  ])('names %s', (_name, text, structured, problem) => {
    const result = extractJson(text, structured);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem).toMatch(problem);
  });
});
