import { isObject, limitsOf, resolveRef, typesOf, type JsonSchema, type TypeName } from './json-schema';
import { constrainedString, textKind, type TextKind } from './string-value';
import { cutAtWord, fillText, type TextSource } from './text-source';

export interface GenerateOptions {
  source: TextSource;
  /**
   * Break the caps a client may keep (maxLength, maxItems, in keywords or description hints):
   * 1 overshoots fully (3x a maxLength or 4,000 characters; 3x a maxItems or 100 items), 0 the
   * least that still breaks each cap. Undefined keeps every limit, like a careful model.
   */
  oversize?: number | undefined;
}

/** A value for the schema, drawn from the message; the same for the same inputs. */
export function generateValue(schema: unknown, options: GenerateOptions): unknown {
  return new Generator(schema, options.source).value(schema, { name: '', depth: 0, oversize: options.oversize });
}

interface Where {
  /** The property (for array items: the array's property) the value is for. */
  name: string;
  depth: number;
  oversize: number | undefined;
  /** The position within an array, for its items. */
  index?: number;
}

// Past this depth (a recursive schema in a non-strict tool) optional parts are left out.
const shallow = 6;
const hopeless = 40;

const isNullSchema = (s: unknown) => isObject(s) && (s['type'] === 'null' || s['const'] === null);

function merge(base: JsonSchema, extra: JsonSchema): JsonSchema {
  const merged: JsonSchema = { ...base, ...extra };
  if (isObject(base['properties']) && isObject(extra['properties'])) merged['properties'] = { ...base['properties'], ...extra['properties'] };
  if (Array.isArray(base['required']) && Array.isArray(extra['required'])) merged['required'] = [...new Set([...base['required'], ...extra['required']])];
  return merged;
}

class Generator {
  private sentenceCursor = 0;

  constructor(
    private readonly root: unknown,
    private readonly source: TextSource,
  ) {}

  value(node: unknown, at: Where): unknown {
    if (at.depth > hopeless || node === false) return null;
    if (!isObject(node)) return this.string({}, at);
    const { $ref, allOf, anyOf, oneOf, ...rest } = node;
    if (typeof $ref === 'string') {
      const target = resolveRef(this.root, $ref);
      const { $defs: _defs, definitions: _definitions, ...siblings } = rest;
      return this.value(isObject(target) ? merge(target, siblings) : siblings, { ...at, depth: at.depth + 1 });
    }
    if ('const' in node) return node['const'];
    if (Array.isArray(node['enum'])) return this.choose(node['enum'], at);
    if (Array.isArray(allOf)) {
      const parts = allOf.map((s) => (isObject(s) && typeof s['$ref'] === 'string' ? resolveRef(this.root, s['$ref']) : s));
      return this.value(parts.filter(isObject).reduce(merge, rest), at);
    }
    const branches = Array.isArray(anyOf) ? anyOf : Array.isArray(oneOf) ? oneOf : undefined;
    if (branches) {
      // A model fills the field when it can; deep in a recursive schema it stops with null.
      const pick = at.depth > shallow ? (branches.find(isNullSchema) ?? branches[0]) : (branches.find((b) => !isNullSchema(b)) ?? branches[0]);
      return this.value(isObject(pick) ? merge(rest, pick) : pick, at);
    }
    return this.typed(node, this.typeFor(node, at), at);
  }

  private typeFor(node: JsonSchema, at: Where): TypeName {
    const types = typesOf(node);
    if (types.length > 1) return (at.depth > shallow && types.includes('null') ? 'null' : types.find((t) => t !== 'null')) ?? 'null';
    if (types.length === 1) return types[0]!;
    if (node['properties'] !== undefined || node['additionalProperties'] !== undefined) return 'object';
    return node['items'] !== undefined ? 'array' : 'string';
  }

  private typed(node: JsonSchema, type: TypeName, at: Where): unknown {
    switch (type) {
      case 'null':
        return null;
      case 'boolean':
        return this.source.hash(`boolean:${at.name}:${at.index ?? ''}`) % 2 === 0;
      case 'integer':
      case 'number':
        return this.number(node, type === 'integer');
      case 'object':
        return this.object(node, at);
      case 'array':
        return this.array(node, at);
      default:
        return this.string(node, at);
    }
  }

  /** Enum values the message mentions come first, then the others from a point set by the field. */
  private choose(values: unknown[], at: Where): unknown {
    const text = this.source.words.join(' ').toLowerCase();
    const mentions = (v: unknown) => typeof v === 'string' && v !== '' && new RegExp(`\\b${v.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(text);
    const start = this.source.hash(`enum:${at.name}`) % values.length;
    const rotated = [...values.slice(start), ...values.slice(0, start)];
    const order = [...rotated.filter(mentions), ...rotated.filter((v) => !mentions(v))];
    return order[(at.index ?? 0) % order.length];
  }

  private number(node: JsonSchema, integer: boolean): number {
    const l = limitsOf(node);
    const low = Math.max(l.minimum ?? -Infinity, l.exclusiveMinimum ?? -Infinity);
    const high = Math.min(l.maximum ?? Infinity, l.exclusiveMaximum ?? Infinity);
    const lowOpen = l.exclusiveMinimum !== undefined && l.exclusiveMinimum >= (l.minimum ?? -Infinity);
    const highOpen = l.exclusiveMaximum !== undefined && l.exclusiveMaximum <= (l.maximum ?? Infinity);
    const step = l.multipleOf;
    const fits = (v: number) =>
      Number.isFinite(v) && (lowOpen ? v > low : v >= low) && (highOpen ? v < high : v <= high) &&
      (!integer || Number.isInteger(v)) && (step === undefined || Math.abs(v / step - Math.round(v / step)) < 1e-9);
    const { numbers, sentences, names, words } = this.source;
    const bounds = [low, high, (low + high) / 2, low + 1, high - 1, low + (high - low) / 10].filter(Number.isFinite);
    const candidates = [...numbers, sentences.length, names.length, words.length, 1, 0, ...bounds];
    for (const c of candidates) {
      for (const v of step === undefined ? [c, Math.ceil(c), Math.floor(c)] : [Math.ceil(c / step) * step, Math.floor(c / step) * step, (Math.floor(c / step) + 1) * step]) {
        if (fits(v)) return v;
      }
    }
    return Number.isFinite(low) ? low : 0; // no value fits: the schema asks for the impossible
  }

  private object(node: JsonSchema, at: Where): Record<string, unknown> {
    const properties = isObject(node['properties']) ? node['properties'] : {};
    const required = Array.isArray(node['required']) ? node['required'].filter((r): r is string => typeof r === 'string') : [];
    const names = Object.keys(properties);
    // Required properties first, then optional ones, each in schema order, as the API orders them.
    const keys = [...names.filter((k) => required.includes(k)), ...required.filter((k) => !(k in properties))];
    if (at.depth <= shallow) keys.push(...names.filter((k) => !required.includes(k)));
    const extra = isObject(node['additionalProperties']) ? node['additionalProperties'] : true;
    const out: Record<string, unknown> = {};
    for (const key of keys) out[key] = this.value(properties[key] ?? extra, { name: key, depth: at.depth + 1, oversize: at.oversize });
    return out;
  }

  private array(node: JsonSchema, at: Where): unknown[] {
    const l = limitsOf(node);
    const items = node['items'];
    const min = l.minItems ?? 0;
    let count: number;
    if (at.depth > shallow) count = min;
    else if (at.oversize !== undefined) {
      const cap = l.maxItems;
      count = cap === undefined ? Math.max(this.naturalCount(items, at), Math.round(100 * at.oversize)) : cap + Math.max(1, Math.round((Math.max(100, 3 * cap) - cap) * at.oversize));
      count = Math.max(count, min);
    } else count = Math.min(Math.max(this.naturalCount(items, at), min), l.maxItems ?? Infinity);
    const itemSchema = this.deref(Array.isArray(items) ? undefined : items);
    const choices = isObject(itemSchema) && Array.isArray(itemSchema['enum']) ? itemSchema['enum'].length : Infinity;
    if (l.uniqueItems) count = Math.max(min, Math.min(count, choices));
    // Items are ordinary values: only the count of an oversize array breaks its cap.
    const values = Array.from({ length: count }, (_, i) =>
      this.value(Array.isArray(items) ? (items[i] ?? true) : (items ?? true), { name: at.name, depth: at.depth + 1, oversize: undefined, index: i }),
    );
    if (!l.uniqueItems || !isObject(itemSchema) || ['enum', 'const', 'format', 'pattern'].some((k) => k in itemSchema)) return values;
    const seen = new Set<unknown>();
    return values.map((v, i) => {
      const unique = typeof v === 'string' && seen.has(v) ? `${v} ${i + 1}` : v;
      seen.add(unique);
      return unique;
    });
  }

  private naturalCount(items: unknown, at: Where): number {
    const kind = textKind(at.name, 'name');
    const item = this.deref(items);
    const stringItems = !isObject(item) || item['type'] === 'string';
    if (stringItems && kind === 'name') return Math.min(Math.max(this.source.names.length, 1), 5);
    if (stringItems && (kind === 'sentence' || kind === 'paragraph')) return Math.min(Math.max(this.source.sentences.length, 1), 3);
    return 2;
  }

  /** The schema behind a chain of $refs. */
  private deref(node: unknown): unknown {
    for (let hops = 0; isObject(node) && typeof node['$ref'] === 'string' && hops < 10; hops++) node = resolveRef(this.root, node['$ref']);
    return node;
  }

  private string(node: JsonSchema, at: Where): string {
    const l = limitsOf(node);
    const kind = textKind(at.name === '' && typeof node['title'] === 'string' ? node['title'] : at.name, at.index === undefined ? 'sentence' : 'name');
    let text: string | undefined;
    const plain = () => (text ??= this.textOfKind(kind, at));
    const constrained = constrainedString(l, this.source, `${at.name}:${at.index ?? ''}`, plain);
    if (constrained !== undefined) return constrained;
    const normal = plain();
    if (at.oversize !== undefined && (l.maxLength !== undefined || kind === 'paragraph' || kind === 'sentence')) {
      const cap = l.maxLength;
      const target = cap === undefined ? Math.max(normal.length, Math.round(4000 * at.oversize)) : cap + Math.max(1, Math.round(2 * cap * at.oversize));
      return fillText(this.source, Math.max(target, l.minLength ?? 0), this.sentenceCursor++);
    }
    if (l.minLength !== undefined && normal.length < l.minLength) return fillText(this.source, l.minLength, this.sentenceCursor++);
    if (l.maxLength !== undefined && normal.length > l.maxLength) {
      const cut = cutAtWord(normal, l.maxLength);
      return cut.length >= (l.minLength ?? 1) ? cut : normal.slice(0, l.maxLength);
    }
    return normal;
  }

  private textOfKind(kind: TextKind, at: Where): string {
    const { names, phrases, sentences, words } = this.source;
    const nth = <T>(list: T[], i: number): T | undefined => list[i % Math.max(list.length, 1)];
    const sentence = () => nth(sentences, this.sentenceCursor++) ?? fillText(this.source, 40);
    switch (kind) {
      case 'name':
        return nth(names, at.index ?? 0) ?? nth(phrases, at.index ?? 0) ?? 'Untitled';
      case 'phrase':
        return nth(phrases, at.index ?? this.sentenceCursor) ?? nth(names, 0) ?? 'Untitled';
      case 'word': {
        const plain = [...new Set(words.map((w) => w.replace(/[^\p{L}]/gu, '')).filter((w) => w.length > 3 && /^\p{Ll}+$/u.test(w)))];
        return nth(plain, this.source.hash(`word:${at.name}`) % Math.max(plain.length, 1)) ?? 'neutral';
      }
      case 'paragraph':
        return sentences.length > 1 ? `${sentence()} ${sentence()}` : sentence();
      default:
        return sentence();
    }
  }
}
