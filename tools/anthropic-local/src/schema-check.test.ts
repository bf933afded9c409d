import { describe, expect, it } from 'vitest';
import { checkStrictBudget, checkStrictSchema, checkToolSchema, type StrictBudget } from './schema-check';

const object = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: 'object',
  properties,
  required: Object.keys(properties),
  additionalProperties: false,
  ...extra,
});

function strictProblem(schema: unknown): string {
  try {
    checkStrictSchema(schema, 'output_config.format.schema', { optionalParameters: 0, unionParameters: 0 });
  } catch (err) {
    expect(err).toMatchObject({ status: 400, type: 'invalid_request_error' });
    return (err as Error).message;
  }
  throw new Error('expected a 400');
}

describe('checkStrictSchema', () => {
  it('accepts the subset structured outputs support', () => {
    const budget: StrictBudget = { optionalParameters: 0, unionParameters: 0 };
    checkStrictSchema(
      {
        $defs: { person: object({ name: { type: 'string', description: 'Who.\n\n{maxLength: 80}' } }) },
        ...object(
          {
            lead: { $ref: '#/$defs/person' },
            cast: { type: 'array', items: { $ref: '#/$defs/person' }, minItems: 1 },
            mood: { enum: ['tense', 'calm', null] },
            kind: { const: 'scene' },
            when: { type: 'string', format: 'date-time' },
            code: { type: 'string', pattern: '^[A-Z]{3}-\\d{2}$' },
            note: { type: ['string', 'null'], default: null },
            shot: { anyOf: [object({ lens: { type: 'number' } }), { type: 'null' }] },
            both: { allOf: [object({ a: { type: 'integer' } })] },
          },
          { required: ['lead', 'cast', 'mood', 'kind'] },
        ),
      },
      'output_config.format.schema',
      budget,
    );
    expect(budget).toEqual({ optionalParameters: 5, unionParameters: 2 });
  });

  it('refuses what the documentation lists as not supported, naming where and what', () => {
    expect(strictProblem(object({ n: { type: 'integer', minimum: 1 } }))).toBe(
      "output_config.format.schema.properties.n: Numerical constraints (minimum, maximum, multipleOf, etc.) are not supported: 'minimum'",
    );
    expect(strictProblem(object({ s: { type: 'string', maxLength: 5 } }))).toMatch(/\.properties\.s: String constraints \(minLength, maxLength\) are not supported: 'maxLength'$/);
    expect(strictProblem(object({ a: { type: 'array', items: { type: 'string' }, minItems: 2 } }))).toMatch(/\.properties\.a: Array constraints beyond minItems of 0 or 1 are not supported: 'minItems: 2'$/);
    expect(strictProblem(object({ a: { type: 'array', items: { type: 'string' }, maxItems: 3 } }))).toMatch(/'maxItems'$/);
    expect(strictProblem({ type: 'object', properties: {} })).toBe(
      "output_config.format.schema: For 'object' type, 'additionalProperties' must be explicitly set to false",
    );
    expect(strictProblem({ type: 'object', properties: {}, additionalProperties: true })).toMatch(/additionalProperties set to anything other than false is not supported/);
    expect(strictProblem(object({ e: { enum: [{ a: 1 }] } }))).toMatch(/\.properties\.e\.enum: Complex types within enums are not supported/);
    expect(strictProblem(object({ r: { $ref: 'https://example.com/s.json' } }))).toMatch(/External \$ref is not supported/);
    expect(strictProblem(object({ r: { $ref: '#/$defs/missing' } }))).toMatch(/\$ref does not resolve: #\/\$defs\/missing/);
    expect(strictProblem({ $defs: { n: object({ next: { anyOf: [{ $ref: '#/$defs/n' }, { type: 'null' }] } }) }, $ref: '#/$defs/n' })).toMatch(/Recursive schemas are not supported/);
    expect(strictProblem(object({ s: { type: 'string', format: 'cuid' } }))).toMatch(/String format "cuid" is not supported/);
    expect(strictProblem(object({ s: { type: 'string', pattern: '^(a)\\1$' } }))).toMatch(/Regex features are not supported: backreferences/);
    expect(strictProblem(object({ s: { type: 'string', pattern: '(' } }))).toMatch(/pattern is not a valid regular expression/);
    expect(strictProblem(object({ u: { oneOf: [{ type: 'string' }] } }))).toMatch(/'oneOf' is not supported, use anyOf/);
    expect(strictProblem(object({ u: { allOf: [{ $ref: '#/$defs/x' }] } }, { $defs: { x: { type: 'string' } } }))).toMatch(/allOf with \$ref is not supported/);
    expect(strictProblem(object({ u: { description: 'anything' } }))).toMatch(/must declare a 'type'/);
    expect(strictProblem(object({ u: { type: 'text' } }))).toMatch(/\.properties\.u\.type: JSON schema is invalid.*unknown type "text"/);
  });
});

describe('checkToolSchema', () => {
  it('takes any object schema, constraints included, and refuses what is not one', () => {
    checkToolSchema({ type: 'object', properties: { n: { type: 'integer', minimum: 1, maximum: 3 }, s: { type: 'string', maxLength: 9 } } }, 'tools.0.input_schema');
    checkToolSchema({ type: 'object', $defs: { n: { type: 'object', properties: { next: { $ref: '#/$defs/n' } } } }, properties: { head: { $ref: '#/$defs/n' } } }, 'tools.0.input_schema');
    expect(() => checkToolSchema({ properties: {} }, 'tools.0.input_schema')).toThrow('tools.0.input_schema.type: Field required');
    expect(() => checkToolSchema({ type: 'string' }, 'tools.0.input_schema')).toThrow("tools.0.input_schema.type: Input should be 'object'");
    expect(() => checkToolSchema({ type: 'object', properties: { a: { $ref: '#/nowhere' } } }, 'tools.1.input_schema')).toThrow(/tools\.1\.input_schema\.properties\.a\.\$ref: \$ref does not resolve/);
  });
});

describe('checkStrictBudget', () => {
  it('enforces the explicit limits across all strict schemas', () => {
    expect(() => checkStrictBudget({ optionalParameters: 24, unionParameters: 16 }, 20)).not.toThrow();
    expect(() => checkStrictBudget({ optionalParameters: 25, unionParameters: 0 }, 1)).toThrow('Too many optional parameters across all strict schemas: 25 > 24');
    expect(() => checkStrictBudget({ optionalParameters: 0, unionParameters: 17 }, 1)).toThrow(/parameters with union types.*17 > 16/);
    expect(() => checkStrictBudget({ optionalParameters: 0, unionParameters: 0 }, 21)).toThrow(/strict tools.*21 > 20/);
  });
});
