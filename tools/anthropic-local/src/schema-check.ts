import { ApiError } from './errors';
import { isObject, resolveRef, typeNames, type JsonSchema } from './json-schema';
import { unsupportedRegexFeatures } from './pattern';

// Structured outputs (`output_config.format`, tools with `strict: true`) compile the schema
// into a grammar and accept only a subset of JSON Schema; "If you use an unsupported feature,
// you'll receive a 400 error with details." The lists follow the "JSON Schema limitations"
// section of https://platform.claude.com/docs/en/build-with-claude/structured-outputs.

export const supportedFormats = ['date-time', 'time', 'date', 'duration', 'email', 'hostname', 'uri', 'ipv4', 'ipv6', 'uuid'];

const numerical = 'Numerical constraints (minimum, maximum, multipleOf, etc.) are not supported';
const stringLimits = 'String constraints (minLength, maxLength) are not supported';
const arrayLimits = 'Array constraints beyond minItems of 0 or 1 are not supported';
const objectLimits = 'Object constraints other than properties, required and additionalProperties: false are not supported';
const refused: Record<string, string> = {
  minimum: numerical,
  maximum: numerical,
  exclusiveMinimum: numerical,
  exclusiveMaximum: numerical,
  multipleOf: numerical,
  minLength: stringLimits,
  maxLength: stringLimits,
  maxItems: arrayLimits,
  uniqueItems: arrayLimits,
  contains: arrayLimits,
  minContains: arrayLimits,
  maxContains: arrayLimits,
  prefixItems: arrayLimits,
  additionalItems: arrayLimits,
  unevaluatedItems: arrayLimits,
  minProperties: objectLimits,
  maxProperties: objectLimits,
  patternProperties: objectLimits,
  propertyNames: objectLimits,
  dependentRequired: objectLimits,
  dependentSchemas: objectLimits,
  unevaluatedProperties: objectLimits,
  oneOf: "'oneOf' is not supported, use anyOf",
  not: "'not' is not supported",
  if: 'Conditional schemas (if/then/else) are not supported',
  then: 'Conditional schemas (if/then/else) are not supported',
  else: 'Conditional schemas (if/then/else) are not supported',
  $dynamicRef: 'Recursive schemas are not supported',
  $recursiveRef: 'Recursive schemas are not supported',
};

/** The explicit complexity limits, summed over every strict schema of a request. */
export const strictLimits = { strictTools: 20, optionalParameters: 24, unionParameters: 16 } as const;

/** What a request's strict schemas add up to. */
export interface StrictBudget {
  optionalParameters: number;
  unionParameters: number;
}

const isPrimitive = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);
const invalid = 'JSON schema is invalid. It must match JSON Schema draft 2020-12';

class SchemaWalk {
  private readonly expanding: unknown[] = [];
  private readonly done = new Set<unknown>();

  constructor(
    private readonly root: unknown,
    private readonly where: string,
    private readonly strict: boolean,
    private readonly budget: StrictBudget,
  ) {}

  fail(path: string, problem: string): never {
    throw new ApiError('invalid_request_error', `${this.where}${path}: ${problem}`);
  }

  visit(node: unknown, path: string, counted: boolean): void {
    if (typeof node === 'boolean' && !this.strict) return;
    if (!isObject(node)) this.fail(path, this.strict ? 'Schema must be an object' : invalid);
    if (this.expanding.includes(node)) {
      if (this.strict) this.fail(path, 'Recursive schemas are not supported');
      return;
    }
    if (this.done.has(node)) return;
    this.expanding.push(node);
    this.visitKeywords(node, path, counted);
    this.expanding.pop();
    this.done.add(node);
  }

  private visitKeywords(node: JsonSchema, path: string, counted: boolean): void {
    if (this.strict) {
      for (const key of Object.keys(node)) if (key in refused) this.fail(path, `${refused[key]}: '${key}'`);
    }
    const { type, anyOf, allOf } = node;
    const types = Array.isArray(type) ? type : type === undefined ? [] : [type];
    for (const t of types) if (!(typeNames as readonly unknown[]).includes(t)) this.fail(`${path}.type`, `${invalid}: unknown type ${JSON.stringify(t)}`);
    if (counted && (Array.isArray(type) || anyOf !== undefined)) this.budget.unionParameters++;

    if (node['enum'] !== undefined) {
      if (!Array.isArray(node['enum']) || node['enum'].length === 0) this.fail(`${path}.enum`, `${invalid}: enum must be a non-empty list`);
      if (this.strict && !node['enum'].every(isPrimitive)) this.fail(`${path}.enum`, 'Complex types within enums are not supported');
    }
    if (this.strict && node['const'] !== undefined && !isPrimitive(node['const'])) this.fail(`${path}.const`, 'Complex types within enums are not supported');
    if (typeof node['$ref'] === 'string') this.visitRef(node['$ref'], `${path}.$ref`, counted);
    else if (node['$ref'] !== undefined) this.fail(`${path}.$ref`, `${invalid}: $ref must be a string`);
    for (const [key, list] of [['anyOf', anyOf], ['allOf', allOf], ['oneOf', node['oneOf']]] as const) {
      if (list === undefined) continue;
      if (!Array.isArray(list) || list.length === 0) this.fail(`${path}.${key}`, `${invalid}: ${key} must be a non-empty list`);
      list.forEach((branch, i) => {
        if (this.strict && key === 'allOf' && isObject(branch) && '$ref' in branch) this.fail(`${path}.allOf.${i}`, 'allOf with $ref is not supported');
        this.visit(branch, `${path}.${key}.${i}`, false);
      });
    }
    const composed = ['enum', 'const', 'anyOf', 'allOf', 'oneOf', '$ref'].some((k) => node[k] !== undefined);
    if (this.strict && types.length === 0 && !composed) this.fail(path, "Schema must declare a 'type' (or enum, const, anyOf, allOf or $ref)");

    if (types.includes('object') || node['properties'] !== undefined) this.visitObject(node, path);
    if (types.includes('array') || node['items'] !== undefined) this.visitArray(node, path);
    this.visitString(node, path);
  }

  private visitRef(ref: string, path: string, counted: boolean): void {
    if (!ref.startsWith('#')) this.fail(path, `External $ref is not supported: ${ref}`);
    const target = resolveRef(this.root, ref);
    if (target === undefined) this.fail(path, `$ref does not resolve: ${ref}`);
    this.visit(target, `${path}(${ref})`, counted);
  }

  private visitObject(node: JsonSchema, path: string): void {
    const { properties, required, additionalProperties } = node;
    if (this.strict && additionalProperties === undefined) this.fail(path, "For 'object' type, 'additionalProperties' must be explicitly set to false");
    if (this.strict && additionalProperties !== false) this.fail(`${path}.additionalProperties`, 'additionalProperties set to anything other than false is not supported');
    if (!this.strict && isObject(additionalProperties)) this.visit(additionalProperties, `${path}.additionalProperties`, false);
    if (required !== undefined && !(Array.isArray(required) && required.every((r) => typeof r === 'string'))) {
      this.fail(`${path}.required`, `${invalid}: required must be a list of property names`);
    }
    if (properties === undefined) return;
    if (!isObject(properties)) this.fail(`${path}.properties`, `${invalid}: properties must be an object`);
    for (const [name, schema] of Object.entries(properties)) {
      if (!(required as unknown[] | undefined)?.includes(name)) this.budget.optionalParameters++;
      this.visit(schema, `${path}.properties.${name}`, true);
    }
  }

  private visitArray(node: JsonSchema, path: string): void {
    const { items, minItems } = node;
    if (this.strict && minItems !== undefined && minItems !== 0 && minItems !== 1) this.fail(path, `${arrayLimits}: 'minItems: ${String(minItems)}'`);
    if (items === undefined) return;
    if (Array.isArray(items) && !this.strict) items.forEach((s, i) => this.visit(s, `${path}.items.${i}`, false));
    else this.visit(items, `${path}.items`, false);
  }

  private visitString(node: JsonSchema, path: string): void {
    const { format, pattern } = node;
    if (this.strict && format !== undefined && !supportedFormats.includes(format as string)) {
      this.fail(`${path}.format`, `String format ${JSON.stringify(format)} is not supported; supported formats: ${supportedFormats.join(', ')}`);
    }
    if (pattern === undefined) return;
    if (typeof pattern !== 'string') this.fail(`${path}.pattern`, `${invalid}: pattern must be a string`);
    try {
      new RegExp(pattern, 'u');
    } catch {
      this.fail(`${path}.pattern`, `${invalid}: pattern is not a valid regular expression`);
    }
    const features = unsupportedRegexFeatures(pattern);
    if (this.strict && features.length > 0) this.fail(`${path}.pattern`, `Regex features are not supported: ${features.join(', ')}`);
  }
}

/** Checks a strict schema (JSON outputs, or a tool with strict: true), adding to the budget. */
export function checkStrictSchema(schema: unknown, where: string, budget: StrictBudget): void {
  new SchemaWalk(schema, where, true, budget).visit(schema, '', false);
}

/** Checks a tool's input_schema without `strict`: any draft 2020-12 object schema, as the API takes. */
export function checkToolSchema(schema: unknown, where: string): void {
  const walk: SchemaWalk = new SchemaWalk(schema, where, false, { optionalParameters: 0, unionParameters: 0 });
  if (!isObject(schema)) walk.fail('', schema === undefined ? 'Field required' : 'Input should be a valid dictionary');
  if (schema['type'] !== 'object') walk.fail('.type', schema['type'] === undefined ? 'Field required' : "Input should be 'object'");
  walk.visit(schema, '', false);
}

/** The explicit limits over all of a request's strict schemas. */
export function checkStrictBudget(budget: StrictBudget, strictTools: number): void {
  const over = (what: string, n: number, max: number) => {
    throw new ApiError('invalid_request_error', `Too many ${what} across all strict schemas: ${n} > ${max}`);
  };
  if (strictTools > strictLimits.strictTools) over('strict tools', strictTools, strictLimits.strictTools);
  if (budget.optionalParameters > strictLimits.optionalParameters) over('optional parameters', budget.optionalParameters, strictLimits.optionalParameters);
  if (budget.unionParameters > strictLimits.unionParameters) over('parameters with union types', budget.unionParameters, strictLimits.unionParameters);
}
