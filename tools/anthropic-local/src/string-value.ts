import type { Limits } from './json-schema';
import { samplePattern } from './pattern';
import type { TextSource } from './text-source';

/** What a free-text string should read like, judged from its name as a model would. */
export type TextKind = 'paragraph' | 'sentence' | 'phrase' | 'name' | 'word';

const kindWords: [TextKind, string[]][] = [
  ['paragraph', ['summary', 'synopsis', 'overview', 'description', 'abstract', 'explanation', 'paragraph', 'body', 'content', 'text', 'details', 'analysis']],
  ['name', ['name', 'character', 'person', 'people', 'speaker', 'author', 'who', 'cast', 'actor', 'location', 'place', 'city', 'country', 'tag', 'keyword', 'label', 'entity', 'entities']],
  ['phrase', ['title', 'heading', 'headline', 'caption', 'subject', 'topic', 'theme', 'phrase', 'setting']],
  ['word', ['mood', 'tone', 'sentiment', 'genre', 'category', 'kind', 'type', 'status', 'word', 'emotion', 'feeling', 'colour', 'color']],
  ['sentence', ['event', 'step', 'point', 'beat', 'moment', 'line', 'quote', 'action', 'fact', 'finding', 'highlight', 'reason', 'note', 'sentence', 'idea', 'change', 'issue']],
];

/** "keyEvents", "key_events" and "key-events" all read as the words key, events. */
const wordsOf = (name: string): string[] =>
  name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');

export function textKind(name: string, fallback: TextKind): TextKind {
  const words = wordsOf(name);
  for (const [kind, list] of kindWords) {
    if (words.some((w) => list.some((k) => w === k || w === `${k}s` || w === `${k}es` || (k.endsWith('y') && w === `${k.slice(0, -1)}ies`)))) return kind;
  }
  return fallback;
}

/** Whether `text` matches a JSON schema pattern (ECMA-262, read with the u flag when it can be). */
export function matchesPattern(pattern: string, text: string): boolean {
  for (const flags of ['u', '']) {
    try {
      return new RegExp(pattern, flags).test(text);
    } catch {
      // try without the u flag
    }
  }
  return false;
}

const pad = (n: number) => String(n).padStart(2, '0');

function uuidFrom(source: TextSource, tag: string): string {
  const hex = [0, 1, 2, 3].map((i) => source.hash(`${tag}:uuid:${i}`).toString(16).padStart(8, '0')).join('');
  const variant = '89ab'[source.hash(`${tag}:variant`) % 4]!;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A value of a string format, the same for the same message and field. */
export function formattedValue(format: string, source: TextSource, tag: string): string | undefined {
  const h = source.hash(`${tag}:${format}`);
  const local = (source.names[0] ?? 'reader').toLowerCase().normalize('NFKD').replace(/[^a-z0-9]/g, '') || 'reader';
  const date = `2025-${pad(1 + (h % 12))}-${pad(1 + ((h >>> 4) % 28))}`;
  const time = `${pad((h >>> 9) % 24)}:${pad((h >>> 14) % 60)}:00`;
  switch (format) {
    case 'date-time':
      return `${date}T${time}Z`;
    case 'date':
      return date;
    case 'time':
      return `${time}Z`; // RFC 3339 full-time carries an offset
    case 'duration':
      return `PT${1 + (h % 59)}M`;
    case 'email':
      return `${local}@example.com`;
    case 'hostname':
      return `${local}.example.com`;
    case 'uri':
    case 'url':
    case 'uri-reference':
    case 'iri':
      return `https://example.com/${local}`;
    case 'ipv4':
      return `192.0.2.${1 + (h % 254)}`;
    case 'ipv6':
      return `2001:db8::${(h % 0xffff).toString(16)}`;
    case 'uuid':
      return uuidFrom(source, tag);
    default:
      return undefined;
  }
}

/**
 * A string with a format or pattern: the format's value, else `text` when it already matches
 * the pattern, else a sample of the pattern. Undefined when neither applies.
 */
export function constrainedString(limits: Limits, source: TextSource, tag: string, text: () => string): string | undefined {
  const { format, pattern } = limits;
  const formatted = format === undefined ? undefined : formattedValue(format, source, tag);
  if (pattern === undefined) return formatted;
  if (formatted !== undefined && matchesPattern(pattern, formatted)) return formatted;
  const candidate = text();
  if (matchesPattern(pattern, candidate)) return candidate;
  const sample = samplePattern(pattern);
  return sample !== undefined && matchesPattern(pattern, sample) ? sample : formatted;
}
