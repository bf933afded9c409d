import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkStrictSchema, supportedFormats } from './schema-check';
import { generateValue } from './schema-generate';
import { createTextSource } from './text-source';
import { expectValid, scene, withHintsAsKeywords } from './testing';

// Fixed, so a failure repeats; fast-check prints the counterexample and this seed.
const seed = 20_250_611;
const numRuns = 250;
const source = createTextSource(`${scene}\nThey wait 12 minutes for the 3 cars.`);

const hint = (entries: Record<string, unknown>) => `{${Object.entries(entries).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(', ')}}`;
const key = fc.constantFrom('summary', 'characters', 'mood', 'keyEvents', 'title', 'name', 'score', 'count', 'note', 'tags', 'when', 'id', 'x1', 'x2');

/** Hints as the SDK writes them (limits the API would refuse), or none. */
const lengthHint = fc.option(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 300 })).map(([min, extra]) => ({ minLength: min, maxLength: min + extra })), { nil: undefined });
const rangeHint = fc.option(fc.tuple(fc.integer({ min: -50, max: 50 }), fc.integer({ min: 0, max: 100 })).map(([min, extra]) => ({ minimum: min, maximum: min + extra })), { nil: undefined });
const described = <T extends object>(base: T, hints: Record<string, unknown> | undefined) => (hints ? { ...base, description: `Field.\n\n${hint(hints)}` } : base);

const strictLeaf = fc.oneof(
  lengthHint.map((h) => described({ type: 'string' }, h)),
  fc.constantFrom(...supportedFormats).map((format) => ({ type: 'string', format })),
  fc.constantFrom('^[A-Z][a-z]+$', '^\\d{3}-\\d{4}$', '^(?:INT|EXT)\\. [A-Z ]+$', '^[a-z0-9_-]{3,16}$').map((pattern) => ({ type: 'string', pattern })),
  rangeHint.map((h) => described({ type: 'integer' }, h)),
  rangeHint.map((h) => described({ type: 'number' }, h && { exclusiveMinimum: h.minimum, maximum: h.maximum + 1 })),
  fc.constant({ type: 'boolean' }),
  fc.constant({ type: 'null' }),
  fc.uniqueArray(fc.constantFrom('tense', 'calm', 'rain', 'grim', 3, true, null), { minLength: 1, maxLength: 4 }).map((values) => ({ enum: values })),
  fc.constantFrom('scene', 7, false).map((value) => ({ const: value })),
  fc.constant({ type: ['string', 'null'] }),
);

const { node: strictNode } = fc.letrec<{ node: unknown; object: unknown; array: unknown; union: unknown }>((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, strictLeaf, tie('object'), tie('array'), tie('union')),
  object: fc.dictionary(key, tie('node'), { maxKeys: 4 }).chain((properties) =>
    fc.subarray(Object.keys(properties)).map((required) => ({ type: 'object', properties, required, additionalProperties: false })),
  ),
  array: fc
    .tuple(tie('node'), fc.constantFrom(undefined, 0, 1), fc.option(fc.tuple(fc.integer({ min: 2, max: 6 }), fc.integer({ min: 0, max: 4 })), { nil: undefined }))
    .map(([items, minItems, bounds]) => described({ type: 'array', items, ...(minItems === undefined ? {} : { minItems }) }, bounds && { minItems: bounds[0], maxItems: bounds[0] + bounds[1] })),
  union: fc.tuple(tie('node'), tie('node')).map((anyOf) => ({ anyOf })),
}));

/** A strict root: an object, with one of its parts moved to $defs and referenced. */
const strictSchema = fc.tuple(fc.dictionary(key, strictNode, { minKeys: 1, maxKeys: 5 }), strictNode).map(([properties, shared]) => ({
  $defs: { shared },
  type: 'object',
  properties: { ...properties, shared: { $ref: '#/$defs/shared' } },
  required: [...Object.keys(properties), 'shared'],
  additionalProperties: false,
}));

const plainLeaf = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 200 })).map(([min, extra]) => ({ type: 'string', minLength: min, maxLength: min + extra })),
  fc.tuple(fc.integer({ min: -20, max: 20 }), fc.integer({ min: 10, max: 60 }), fc.constantFrom(1, 2, 5)).map(([min, span, multipleOf]) => ({ type: 'integer', exclusiveMinimum: min, maximum: min + span, multipleOf })),
  fc.tuple(fc.double({ min: -5, max: 5, noNaN: true }), fc.double({ min: 0.01, max: 5, noNaN: true })).map(([min, span]) => ({ type: 'number', minimum: min, exclusiveMaximum: min + span })),
  fc.constant({ type: 'string', format: 'email' }),
);
const plainSchema = fc
  .dictionary(key, fc.oneof(plainLeaf, fc.tuple(plainLeaf, fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })).map(([items, min, extra]) => ({ type: 'array', items, minItems: min, maxItems: min + extra }))), { minKeys: 1, maxKeys: 6 })
  .map((properties) => ({ type: 'object', properties, required: Object.keys(properties) }));

describe(`generated schemas (fast-check seed ${seed}, ${numRuns} runs)`, () => {
  it('strict schemas pass the API checks, and each answer keeps the schema and its hints', () => {
    fc.assert(
      fc.property(strictSchema, (schema) => {
        checkStrictSchema(schema, 'output_config.format.schema', { optionalParameters: 0, unionParameters: 0 });
        expectValid(withHintsAsKeywords(schema), generateValue(schema, { source }));
      }),
      { seed, numRuns },
    );
  });

  it('oversize answers to strict schemas keep every keyword the API enforces', () => {
    fc.assert(
      fc.property(strictSchema, fc.double({ min: 0, max: 1, noNaN: true }), (schema, scale) => {
        expectValid(schema, generateValue(schema, { source, oversize: scale }));
      }),
      { seed, numRuns },
    );
  });

  it('tool schemas with plain keywords get answers within every limit', () => {
    fc.assert(
      fc.property(plainSchema, (schema) => {
        const value = generateValue(schema, { source });
        expectValid(schema, value);
        expect(generateValue(schema, { source })).toEqual(value);
      }),
      { seed, numRuns },
    );
  });
});
