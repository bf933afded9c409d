/**
 * What an answer may quote from: the sentences, capitalised words and short phrases of a
 * message. It knows no prompt format; markup tags are dropped like any reader would skip them.
 */
export interface TextSource {
  /** Sentences of three words or more with a lower-case letter, whitespace collapsed. */
  sentences: string[];
  /** Capitalised words, the most frequent first, all-caps ones title-cased. */
  names: string[];
  /** The first few words of each sentence. */
  phrases: string[];
  /** Every word, in order. */
  words: string[];
  /** Numbers written in the text. */
  numbers: number[];
  /** A deterministic 32-bit number from the text and a tag, for choices a model would make. */
  hash(tag: string): number;
}

const stopWords = new Set(
  ('a an and are as at be been but by can did do does for from had has have he her here his how i if in int ext ' +
    'is it its just let me my no not now of on or our she so some that the their them then there these they ' +
    'this those to was we were what when where who why will with yes you your').split(' '),
);

/** FNV-1a: stable across runs and platforms, which is all a deterministic choice needs. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

// A line without lower-case letters (a heading, a label, a name) stands alone; other
// consecutive lines are one run of prose, however it was wrapped.
function proseUnits(text: string): string[] {
  const units: string[] = [];
  for (const paragraph of text.split(/\n\s*\n/)) {
    let run: string[] = [];
    const flush = () => {
      if (run.length > 0) units.push(run.join(' '));
      run = [];
    };
    for (const line of paragraph.split('\n').map((l) => l.trim())) {
      if (line === '') continue;
      if (/\p{Ll}/u.test(line)) run.push(line);
      else {
        flush();
        units.push(line);
      }
    }
    flush();
  }
  return units.map((u) => u.replace(/\s+/g, ' ').trim()).filter((u) => u !== '');
}

const maxSentenceChars = 300;

/** At most `max` characters, cut after a whole word. */
export function cutAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max + 1);
  const space = cut.lastIndexOf(' ');
  return (space > 0 ? cut.slice(0, space) : text.slice(0, max)).replace(/[\s,;:]+$/, '');
}

function splitSentences(units: string[]): string[] {
  return units
    .flatMap((u) => u.split(/(?<=[.!?…])\s+/))
    .map((s) => s.trim())
    .filter((s) => s.split(' ').length >= 3 && /\p{Ll}/u.test(s))
    .map((s) => {
      const cut = cutAtWord(s, maxSentenceChars);
      return /[.!?…"')\]]$/u.test(cut) ? cut : `${cut}.`;
    });
}

/** Capitalised words, the most frequent first (ties in order of appearance). */
function capitalisedWords(words: string[]): string[] {
  const counts = new Map<string, { name: string; count: number; first: number }>();
  words.forEach((raw, i) => {
    const word = raw.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
    if (word.length < 3 || !/^\p{Lu}[\p{L}'’-]*$/u.test(word) || stopWords.has(word.toLowerCase())) return;
    const name = word === word.toUpperCase() ? word[0] + word.slice(1).toLowerCase() : word;
    const entry = counts.get(name.toLowerCase()) ?? { name, count: 0, first: i };
    entry.count++;
    counts.set(name.toLowerCase(), entry);
  });
  return [...counts.values()].sort((a, b) => b.count - a.count || a.first - b.first).map((e) => e.name);
}

function shortPhrase(sentence: string): string {
  const words = sentence.replace(/[.!?…]+$/u, '').split(' ').slice(0, 6);
  while (words.length > 1 && stopWords.has(words.at(-1)!.toLowerCase())) words.pop();
  return words.join(' ').replace(/[,;:]+$/, '');
}

export function createTextSource(text: string): TextSource {
  const clean = text.replace(/<\/?[A-Za-z][^<>]*>/g, ' ');
  const sentences = splitSentences(proseUnits(clean));
  const words = clean.split(/\s+/).filter((w) => w !== '');
  return {
    sentences,
    names: capitalisedWords(words),
    phrases: sentences.map(shortPhrase),
    words,
    numbers: (clean.match(/-?\b\d+(?:\.\d+)?\b/g) ?? []).map(Number).filter(Number.isFinite),
    hash: (tag) => fnv1a(`${tag}\u0000${text}`),
  };
}

/** Exactly `length` characters of the message's sentences, repeated as often as needed. */
export function fillText(source: TextSource, length: number, from = 0): string {
  const pool = source.sentences.length > 0 ? source.sentences : [fallbackSentence(source)];
  let text = '';
  for (let i = from; text.length < length; i++) text += (text === '' ? '' : ' ') + pool[i % pool.length];
  text = text.slice(0, length);
  return /\s$/.test(text) ? `${text.slice(0, -1)}.` : text;
}

function fallbackSentence(source: TextSource): string {
  if (source.words.length === 0) return 'The message is empty.';
  const quoted = source.words.slice(0, 20).join(' ');
  return `The message says: "${quoted}${source.words.length > 20 ? ' …' : ''}".`;
}

/** The prose answer to a message without a format: up to three of its own sentences. */
export function proseAnswer(text: string): string {
  const source = createTextSource(text);
  if (source.sentences.length === 0) return fallbackSentence(source);
  return source.sentences.slice(0, 3).join(' ');
}
