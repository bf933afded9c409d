import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Cell, formatCell, markdownTable } from './figures';
import { type Machine, machineLine } from './machine';

/**
 * A benchmark's figures as committed: bench/results/<name>.json (everything) and its section
 * of bench/results/RESULTS.md (the tables). The latest run of a benchmark replaces its own
 * file and section and leaves the others alone.
 */

export interface Check {
  what: string;
  target: string;
  /** The median the target is judged on. */
  value: Cell;
  pass: boolean;
}

export interface Report {
  benchmark: string;
  title: string;
  command: string;
  date: string;
  machine: Machine;
  /** The 1-minute load average when the benchmark started and when it ended. */
  load: { atStart: number; atEnd: number };
  parameters: Record<string, Cell>;
  /** One row per measured run: the columns of the runs table. */
  runs: Array<Record<string, Cell>>;
  median: Record<string, Cell>;
  checks: Check[];
  /** Further markdown (e.g. where the CPU time went), written under the tables. */
  notes: string[];
  /** Why the benchmark stopped early, when it did. */
  error?: string;
  /** Raw data for the JSON file only. */
  raw?: unknown;
}

/** Benchmarks in the order their sections appear in RESULTS.md. */
export const sectionOrder = ['fanout', 'throughput', 'rate-limit', 'reanalysis', 'footprint', 'fairness'];

const preamble = `# Benchmark results

Written by \`bash bench/run.sh <benchmark>\` (see [../README.md](../README.md)); each run replaces
its own section and \`<benchmark>.json\`. Every figure is the median of the runs listed under it.
`;

export function renderSection(report: Report): string {
  const verdict = report.error ? '**did not finish**' : report.checks.every((c) => c.pass) ? '**pass**' : '**fail**';
  const lines = [
    `<!-- bench:${report.benchmark} -->`,
    `## ${report.title}: ${verdict}`,
    '',
    `\`${report.command}\` · ${report.date}`,
    '',
    `Machine: ${machineLine(report.machine)}. Commit ${report.machine.commit}. Load average (1 min): ${report.load.atStart} at the start, ${report.load.atEnd} at the end.`,
    '',
    `Parameters: ${Object.entries(report.parameters).map(([k, v]) => `${k} ${formatCell(v)}`).join(' · ')}`,
    '',
  ];
  if (report.error) lines.push(`Stopped early: ${report.error}`, '');
  if (report.checks.length > 0) {
    lines.push(markdownTable(['target', 'goal', 'median', 'pass'], report.checks.map((c) => [c.what, c.target, c.value, c.pass])), '');
  }
  if (report.runs.length > 0) {
    const columns = Object.keys(report.runs[0]!);
    const rows = report.runs.map((r) => columns.map((c) => r[c]));
    if (Object.keys(report.median).length > 0) rows.push(columns.map((c, i) => (i === 0 ? 'median' : report.median[c])));
    lines.push(markdownTable(columns, rows), '');
  }
  lines.push(...report.notes.filter((n) => n !== '').flatMap((n) => [n, '']));
  lines.push(`<!-- /bench:${report.benchmark} -->`);
  return lines.join('\n');
}

/** Replaces (or inserts, in `sectionOrder`) the benchmark's section of a RESULTS.md text. */
export function upsertSection(document: string, benchmark: string, section: string): string {
  const sections = new Map<string, string>();
  const pattern = /<!-- bench:([a-z-]+) -->[\s\S]*?<!-- \/bench:\1 -->/g;
  for (const match of document.matchAll(pattern)) sections.set(match[1]!, match[0]);
  sections.set(benchmark, section);
  const order = [...sectionOrder, ...[...sections.keys()].filter((k) => !sectionOrder.includes(k)).sort()];
  const body = order.flatMap((k) => (sections.has(k) ? [sections.get(k)!] : [])).join('\n\n');
  return `${preamble}\n${body}\n`;
}

export function writeReport(resultsDir: string, report: Report): { json: string; markdown: string } {
  mkdirSync(resultsDir, { recursive: true });
  const json = join(resultsDir, `${report.benchmark}.json`);
  const markdown = join(resultsDir, 'RESULTS.md');
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  const existing = existsSync(markdown) ? readFileSync(markdown, 'utf8') : '';
  writeFileSync(markdown, upsertSection(existing, report.benchmark, renderSection(report)));
  return { json, markdown };
}
