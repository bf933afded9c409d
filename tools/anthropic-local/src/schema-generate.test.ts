import { describe, expect, it } from 'vitest';
import { generateValue } from './schema-generate';
import { createTextSource } from './text-source';
import { expectValid, scene, withHintsAsKeywords } from './testing';

const source = createTextSource(scene);
const generate = (schema: unknown, oversize?: number) => generateValue(schema, { source, oversize });

const object = (properties: Record<string, unknown>, required = Object.keys(properties)) => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});

describe('generateValue', () => {
  it('fills a screenplay summary with readable text from the message', () => {
    const schema = object({
      summary: { type: 'string', description: 'What happens.\n\n{minLength: 1, maxLength: 2000}' },
      characters: { type: 'array', items: { type: 'string' }, description: '{maxItems: 50}' },
      mood: { type: 'string' },
      keyEvents: { type: 'array', items: { type: 'string' }, minItems: 1 },
    });
    expect(generate(schema)).toEqual({
      summary: 'MARA stands at the sink. Rain hammers the window.',
      characters: ['Mara', 'Kitchen', 'Night', 'Rain', 'Joe'],
      mood: expect.stringMatching(/^\p{Ll}{4,}$/u),
      keyEvents: ['We should go.', 'MARA stands at the sink.', 'Rain hammers the window.'],
    });
    expect(generate(schema)).toEqual(generate(schema));
  });

  it('keeps the limits given as keywords or as hints in descriptions', () => {
    const schema = object({
      short: { type: 'string', maxLength: 12 },
      hinted: { type: 'string', description: '{minLength: 600, maxLength: 700}' },
      rating: { type: 'integer', description: '{minimum: 6, maximum: 9}' },
      ratio: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
      even: { type: 'integer', minimum: 11, multipleOf: 2 },
      few: { type: 'array', items: { type: 'string' }, maxItems: 2 },
      many: { type: 'array', items: { type: 'string' }, description: '{minItems: 7}' },
      distinct: { type: 'array', items: { type: 'string', enum: ['a', 'b'] }, minItems: 2, uniqueItems: true },
      code: { type: 'string', description: '{pattern: "^[A-Z]{3}-\\\\d{2}$"}' },
    });
    const value = generate(schema) as Record<string, string & unknown[]>;
    expectValid(withHintsAsKeywords(schema), value);
    expect(value['hinted']!.length).toBeGreaterThanOrEqual(600);
    expect(value['many']).toHaveLength(7);
  });

  it('writes each string format so that a JSON schema validator accepts it', () => {
    const formats = ['date-time', 'time', 'date', 'duration', 'email', 'hostname', 'uri', 'ipv4', 'ipv6', 'uuid'];
    const schema = object(Object.fromEntries(formats.map((f) => [f, { type: 'string', format: f }])));
    const value = generate(schema) as Record<string, string>;
    expectValid(schema, value);
    expect(value['email']).toBe('mara@example.com');
  });

  it('follows $ref, anyOf, allOf, const, enum and nullable types', () => {
    const schema = {
      $defs: { person: object({ name: { type: 'string' } }) },
      ...object({
        lead: { $ref: '#/$defs/person' },
        shot: { anyOf: [{ type: 'null' }, object({ type: { const: 'wide' }, lens: { type: 'number' } })] },
        both: { allOf: [object({ a: { type: 'integer' } }), object({ b: { type: 'boolean' } })] },
        tone: { enum: ['calm', 'rain', 'tense'] },
        maybe: { type: ['null', 'string'] },
      }),
    };
    const value = generate(schema) as Record<string, unknown>;
    expect(value).toMatchObject({ lead: { name: 'Mara' }, shot: { type: 'wide' }, tone: 'rain' });
    expect(typeof value['maybe']).toBe('string');
    expectValid({ ...schema, properties: { ...schema.properties, both: { type: 'object' } } }, value);
  });

  it('puts required properties first, then optional ones, each in schema order', () => {
    const value = generate(object({ notes: { type: 'string' }, name: { type: 'string' }, age: { type: 'integer' } }, ['name'])) as object;
    expect(Object.keys(value)).toEqual(['name', 'notes', 'age']);
  });

  it('ends a recursive schema, as a non-strict tool may send one', () => {
    const schema = { $defs: { node: { type: 'object', properties: { label: { type: 'string' }, next: { anyOf: [{ $ref: '#/$defs/node' }, { type: 'null' }] } }, required: ['label', 'next'] } }, $ref: '#/$defs/node' };
    const value = generate(schema);
    expectValid(schema, value);
    expect(JSON.stringify(value).length).toBeLessThan(5000);
  });

  describe('oversize', () => {
    const schema = object({
      summary: { type: 'string', description: '{minLength: 1, maxLength: 200}' },
      names: { type: 'array', items: { type: 'string', description: '{maxLength: 40}' }, description: '{maxItems: 5}' },
      free: { type: 'string' },
      tags: { type: 'array', items: { type: 'string' } },
      mood: { type: 'string', enum: ['calm', 'tense'] },
    });

    it('breaks hinted caps far (3x a maxLength, 100 items) and stays valid against the enforced schema', () => {
      const value = generate(schema, 1) as { summary: string; names: string[]; free: string; tags: string[]; mood: string };
      expectValid(schema, value);
      expect(value.summary).toHaveLength(600);
      expect(value.names).toHaveLength(100);
      expect(value.names.every((n) => n.length <= 40)).toBe(true);
      expect(value.free).toHaveLength(4000);
      expect(value.tags).toHaveLength(100);
      expect(['calm', 'tense']).toContain(value.mood);
    });

    it('still breaks every cap, barely, at the smallest scale', () => {
      const value = generate(schema, 0) as { summary: string; names: string[]; free: string };
      expectValid(schema, value);
      expect(value.summary).toHaveLength(201);
      expect(value.names).toHaveLength(6);
      expect(value.free.length).toBeLessThan(300);
    });
  });
});
