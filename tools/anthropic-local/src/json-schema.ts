import { readHints } from './schema-hints';

/** A JSON schema as it arrives on the wire (booleans are schemas too). */
export type JsonSchema = Record<string, unknown>;

export const isObject = (value: unknown): value is JsonSchema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const typeNames = ['object', 'array', 'string', 'number', 'integer', 'boolean', 'null'] as const;
export type TypeName = (typeof typeNames)[number];

/** The schema a local `$ref` ("#", "#/$defs/x", "#/definitions/x", any JSON pointer) points at. */
export function resolveRef(root: unknown, ref: string): unknown {
  if (ref !== '#' && !ref.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const raw of ref === '#' ? [] : ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) node = node[Number(key)];
    else if (isObject(node)) node = node[key];
    else return undefined;
  }
  return node;
}

/** The declared types of a schema, from `type` (a name or a list). */
export function typesOf(schema: JsonSchema): TypeName[] {
  const type = schema['type'];
  const list = Array.isArray(type) ? type : type === undefined ? [] : [type];
  return list.filter((t): t is TypeName => (typeNames as readonly unknown[]).includes(t));
}

/**
 * The limits a value should keep: the schema's own keywords, else the hints the SDK wrote in
 * its description. `maxLength` and `maxItems` are caps the API never enforces (it refuses them
 * in strict schemas), which is what an oversize answer breaks.
 */
export interface Limits {
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
}

const lowerBounds = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems'] as const;
const upperBounds = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems'] as const;

export function limitsOf(schema: JsonSchema): Limits {
  const hints = readHints(schema['description']);
  const numbers = (key: string) => [schema[key], hints[key]].filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const limits: Limits = {};
  // A keyword and a hint for the same limit: the tighter one holds.
  for (const key of lowerBounds) if (numbers(key).length > 0) limits[key] = Math.max(...numbers(key));
  for (const key of upperBounds) if (numbers(key).length > 0) limits[key] = Math.min(...numbers(key));
  const step = numbers('multipleOf')[0];
  if (step !== undefined && step > 0) limits.multipleOf = step;
  const pick = (key: string): unknown => schema[key] ?? hints[key];
  const pattern = pick('pattern');
  if (typeof pattern === 'string') limits.pattern = pattern;
  const format = pick('format');
  if (typeof format === 'string') limits.format = format;
  if (pick('uniqueItems') === true) limits.uniqueItems = true;
  return limits;
}
