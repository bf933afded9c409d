/**
 * Writes a string that a regular expression (a JSON schema `pattern`) matches, for the subset
 * structured outputs accept: literals, `.`, classes, `\d \w \s` and their negations, groups,
 * alternation and quantifiers. Backreferences, lookaround and word boundaries give undefined.
 * Each repetition takes its minimum and each alternation its first branch; the caller checks
 * the result against the real RegExp.
 */
export function samplePattern(pattern: string): string | undefined {
  try {
    const parser = new PatternParser(pattern);
    const text = parser.alternation();
    return parser.done() ? text : undefined;
  } catch {
    return undefined;
  }
}

/** The regex features the API refuses in a `pattern`, by name (none: an empty list). */
export function unsupportedRegexFeatures(pattern: string): string[] {
  const found: string[] = [];
  if (/\\[1-9]|\\k</.test(pattern)) found.push('backreferences');
  if (/\(\?<?[=!]/.test(pattern)) found.push('lookahead/lookbehind assertions');
  if (/\\[bB]/.test(pattern)) found.push('word boundaries');
  return found;
}

class Unsupported extends Error {}

const classEscape: Record<string, string> = { d: '0', w: 'a', s: ' ', D: 'a', W: ' ', S: 'a' };
const controlEscape: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', '0': '\0' };
const negatedCandidates = ['a', 'A', '0', 'x', ' ', '_', '-', '.', 'é'];

class PatternParser {
  private pos = 0;

  constructor(private readonly src: string) {}

  done(): boolean {
    return this.pos === this.src.length;
  }

  alternation(): string {
    const first = this.sequence();
    while (this.src[this.pos] === '|') {
      this.pos++;
      this.sequence();
    }
    return first;
  }

  private sequence(): string {
    let out = '';
    while (this.pos < this.src.length && this.src[this.pos] !== '|' && this.src[this.pos] !== ')') {
      const atom = this.atom();
      out += atom.repeat(this.quantifierMin());
    }
    return out;
  }

  private quantifierMin(): number {
    const c = this.src[this.pos];
    let min = 1;
    if (c === '*' || c === '?') min = 0;
    else if (c === '+') min = 1;
    else if (c === '{') {
      const m = /^\{(\d+)(,\d*)?\}/.exec(this.src.slice(this.pos));
      if (!m) return 1; // a literal "{"
      this.pos += m[0].length - 1;
      min = Number(m[1]);
    } else return 1;
    this.pos++;
    if (this.src[this.pos] === '?') this.pos++; // lazy
    return min;
  }

  private atom(): string {
    const c = this.src[this.pos++]!;
    switch (c) {
      case '^':
      case '$':
        return '';
      case '.':
        return 'a';
      case '[':
        return this.characterClass();
      case '\\':
        return this.escape(false);
      case '(': {
        if (this.src.startsWith('?:', this.pos)) this.pos += 2;
        else if (/^\?<[A-Za-z]/.test(this.src.slice(this.pos))) this.pos = this.src.indexOf('>', this.pos) + 1;
        else if (this.src[this.pos] === '?') throw new Unsupported();
        const inner = this.alternation();
        if (this.src[this.pos++] !== ')') throw new Unsupported();
        return inner;
      }
      default:
        return c;
    }
  }

  private escape(inClass: boolean): string {
    const c = this.src[this.pos++];
    if (c === undefined) throw new Unsupported();
    if (c in classEscape) return classEscape[c]!;
    if (c in controlEscape) return controlEscape[c]!;
    if (c === 'u' || c === 'x') {
      const m = (c === 'u' ? /^(\{[0-9a-fA-F]+\}|[0-9a-fA-F]{4})/ : /^[0-9a-fA-F]{2}/).exec(this.src.slice(this.pos));
      if (!m) return c;
      this.pos += m[0].length;
      return String.fromCodePoint(parseInt(m[0].replace(/[{}]/g, ''), 16));
    }
    if (c === 'p' || c === 'P') {
      const end = this.src.indexOf('}', this.pos);
      const name = this.src.slice(this.pos + 1, end);
      this.pos = end + 1;
      if (c === 'P') throw new Unsupported();
      return /^(Lu|Uppercase_Letter)$/.test(name) ? 'A' : /^(N|Nd|Number|Decimal_Number)$/.test(name) ? '0' : 'a';
    }
    if (!inClass && /[1-9bBk]/.test(c)) throw new Unsupported();
    return c;
  }

  /** One character of the class, or of its complement for `[^…]`. */
  private characterClass(): string {
    const negated = this.src[this.pos] === '^';
    if (negated) this.pos++;
    const members: ((ch: string) => boolean)[] = [];
    let first: string | undefined;
    while (this.src[this.pos] !== ']') {
      if (this.pos >= this.src.length) throw new Unsupported();
      const c = this.src[this.pos++]!;
      const escaped = c === '\\' ? this.src[this.pos] : undefined;
      const low = c === '\\' ? this.escape(true) : c;
      if (escaped !== undefined && escaped in classEscape) {
        const probe = new RegExp(`[\\${escaped}]`);
        members.push((ch) => probe.test(ch));
      } else if (this.src[this.pos] === '-' && this.src[this.pos + 1] !== ']' && this.pos + 1 < this.src.length) {
        this.pos++;
        const hc = this.src[this.pos++]!;
        const high = hc === '\\' ? this.escape(true) : hc;
        members.push((ch) => ch >= low && ch <= high);
      } else members.push((ch) => ch === low);
      first ??= low;
    }
    this.pos++;
    if (!negated) {
      if (first === undefined) throw new Unsupported(); // [] matches nothing
      return first;
    }
    const pick = negatedCandidates.find((ch) => !members.some((m) => m(ch)));
    if (pick === undefined) throw new Unsupported();
    return pick;
  }
}
