import { jsonSchemaOutputFormat } from '@anthropic-ai/sdk/helpers/json-schema';
import type { JSONOutputFormat } from '@anthropic-ai/sdk/resources/messages';
import { z } from 'zod';

/**
 * What a task wants back: a zod schema, and the JSON schema the API is asked to follow
 * (`output_config.format`), derived from it by the SDK. The API guarantees the JSON schema's
 * shape (types, required fields, enums), not the caps it cannot enforce (string lengths, item
 * counts): the SDK moves those into descriptions, and `readOutput` applies them afterwards.
 */
export interface StructuredOutput<T> {
  schema: z.ZodType<T>;
  format: JSONOutputFormat;
}

export function structuredOutput<T>(schema: z.ZodType<T>): StructuredOutput<T> {
  // The SDK's zodOutputFormat would do, but it hoists every described field into $defs; inlined,
  // the schema the model reads is the one a person reads.
  const jsonSchema = z.toJSONSchema(schema) as Parameters<typeof jsonSchemaOutputFormat>[0];
  const { type, schema: strict } = jsonSchemaOutputFormat(jsonSchema);
  return { schema, format: { type, schema: strict } };
}

export type OutputReading<T> = { ok: true; value: T; repairs: string[] } | { ok: false; problem: string };

type Issue = z.core.$ZodIssue;
type Container = Record<string | number, unknown>;

const describe = (issue: Issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`;

function parentOf(value: unknown, path: PropertyKey[]): { parent: Container; key: PropertyKey } | undefined {
  let node = value;
  for (const key of path.slice(0, -1)) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Container)[key as string];
  }
  const key = path.at(-1);
  return typeof node === 'object' && node !== null && key !== undefined ? { parent: node as Container, key } : undefined;
}

/**
 * Mends what a caller can mend without inventing content: a string over its cap is cut to it,
 * an array over its cap loses its tail, an unusable array item is dropped, an unusable optional
 * field is removed so its default applies. Returns false for anything else (a missing or empty
 * required field, a failed refinement): that answer has nothing usable in that place.
 */
function mend(root: unknown, issue: Issue, removals: Map<unknown[], number[]>): boolean {
  const at = parentOf(root, issue.path);
  if (!at) return false;
  const { parent, key } = at;
  const current = parent[key as string];
  if (issue.code === 'too_big' && issue.origin === 'string' && typeof current === 'string') {
    parent[key as string] = current.slice(0, Number(issue.maximum)).trimEnd();
    return true;
  }
  if (issue.code === 'too_big' && issue.origin === 'array' && Array.isArray(current)) {
    current.length = Number(issue.maximum);
    return true;
  }
  if (Array.isArray(parent) && typeof key === 'number') {
    removals.set(parent, [...(removals.get(parent) ?? []), key]);
    return true;
  }
  if (!Array.isArray(parent) && current !== undefined && (issue.code === 'invalid_type' || issue.code === 'too_small' || issue.code === 'invalid_value')) {
    delete parent[key as string];
    return true;
  }
  return false;
}

/**
 * Reads a model's JSON answer against a schema, leniently: what breaks only a cap is mended
 * (and named in `repairs`), and an answer is refused only when it has nothing usable where the
 * schema requires something.
 */
export function readOutput<T>(schema: z.ZodType<T>, json: unknown): OutputReading<T> {
  const value = structuredClone(json);
  const repairs: string[] = [];
  // What a removed field was first refused for: a required field's refusal names that, not "missing".
  const firstProblem = new Map<string, string>();
  // Each round mends every issue it can; a mended value can show new issues (a removed field's
  // default, say), so a few rounds, each making progress, or a refusal.
  for (let round = 0; round < 8; round++) {
    const parsed = schema.safeParse(value);
    if (parsed.success) return { ok: true, value: parsed.data, repairs };
    const removals = new Map<unknown[], number[]>();
    const unmendable = parsed.error.issues.find((issue) => !mend(value, issue, removals));
    if (unmendable) return { ok: false, problem: firstProblem.get(unmendable.path.join('.')) ?? describe(unmendable) };
    for (const issue of parsed.error.issues) {
      if (!firstProblem.has(issue.path.join('.'))) firstProblem.set(issue.path.join('.'), describe(issue));
    }
    for (const [array, indexes] of removals) {
      for (const index of [...new Set(indexes)].sort((a, b) => b - a)) array.splice(index, 1);
    }
    repairs.push(...parsed.error.issues.map(describe));
  }
  return { ok: false, problem: 'the answer could not be brought within the schema' };
}

/**
 * The JSON in an answer's text. With structured outputs the text is the JSON; without them a
 * model may wrap it in prose or a code fence, so the outermost object is taken.
 */
export function extractJson(text: string, structured: boolean): { ok: true; json: unknown } | { ok: false; problem: string } {
  const start = structured ? 0 : text.indexOf('{');
  const end = structured ? text.length : text.lastIndexOf('}') + 1;
  if (start === -1 || end <= start) return { ok: false, problem: 'the model did not answer with a JSON object' };
  try {
    return { ok: true, json: JSON.parse(text.slice(start, end)) };
  } catch {
    return { ok: false, problem: 'the model answered with malformed JSON' };
  }
}
