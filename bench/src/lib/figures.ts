/** Medians, percentiles and the tables every benchmark prints and writes. */

export function median(values: number[]): number {
  return percentile(values, 50);
}

/** Linear interpolation between closest ranks; NaN for no values. */
export function percentile(values: number[], p: number): number {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}

export type Cell = string | number | boolean | null | undefined;

export function formatCell(value: Cell): string {
  if (value === null || value === undefined || (typeof value === 'number' && Number.isNaN(value))) return '–';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') {
    if (Number.isInteger(value)) return value.toLocaleString('en-US');
    const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
    return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  }
  return value;
}

/** A GitHub-flavoured markdown table (readable as plain text on a terminal too). */
export function markdownTable(header: string[], rows: Cell[][]): string {
  const text = [header, ...rows.map((r) => r.map(formatCell))];
  const widths = header.map((_, c) => Math.max(3, ...text.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]) => `| ${r.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`;
  return [line(text[0]!), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...text.slice(1).map(line)].join('\n');
}

/** The median of each numeric field across runs (fields that are not numbers in every run are left out). */
export function medianOf<T extends object>(runs: T[]): Partial<Record<keyof T, number>> {
  const out: Partial<Record<keyof T, number>> = {};
  const first = runs[0];
  if (!first) return out;
  for (const key of Object.keys(first) as Array<keyof T>) {
    const values = runs.map((r) => r[key]);
    if (values.every((v) => typeof v === 'number')) out[key] = median(values as number[]);
  }
  return out;
}
