import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { workspaceRoot } from '../service-harness';

/**
 * Each scenario records one result line (JSON) as it ends, pass or fail, in its run's own
 * directory (tmp/fault-suite/run-…/, so two runs at once never mix); the suite's global
 * teardown renders them as the table in docs/fault-suite.md.
 */
export interface FaultResult {
  /** The issue's numbering ("1", "2a", …): the table's order, whatever order the files ran in. */
  number: string;
  scenario: string;
  fault: string;
  /** When the fault struck, in words ("30% of scenes done"). */
  moment: string;
  expected: string;
  observed: string;
  passed: boolean;
  /** Every scene one outcome, the job's status true to its scenes, the job ended. */
  promiseKept: boolean;
  extraClaudeCalls: number;
  /** From the analysis request to the job's end (or to giving up on it). */
  durationMs: number;
  seed: number;
  atFraction: number;
  scenes: number;
  /** Everything else measured, for the JSON file. */
  details: Record<string, unknown>;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** This run's directory for results and logs (report-setup.ts). */
    faultRunDir: string;
  }
}

export const suiteDir = join(workspaceRoot, 'tmp', 'fault-suite');
export const docsFile = join(workspaceRoot, 'docs', 'fault-suite.md');
const start = '<!-- fault-results:start -->';
const end = '<!-- fault-results:end -->';

/** This run's directory: provided by the global setup; only callable inside a test. */
export function runDir(): string {
  return inject('faultRunDir');
}

export function recordResult(result: FaultResult): FaultResult {
  appendFileSync(join(runDir(), 'results.jsonl'), `${JSON.stringify(result)}\n`);
  return result;
}

export function readResults(file: string): FaultResult[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as FaultResult);
}

const verdictOf = (r: FaultResult) => (r.passed ? 'pass' : r.promiseKept ? '**FAIL**: promise kept, expectation missed' : '**FAIL**: promise broken');
const cell = (text: string) => text.replace(/\s+/g, ' ').replace(/\|/g, '\\|');

export function renderTable(results: FaultResult[], when = new Date()): string {
  const lines = [
    `Run of ${when.toISOString().slice(0, 16).replace('T', ' ')} UTC: ${results.filter((r) => r.promiseKept).length} of ${results.length} scenarios kept the promise, ` +
      `${results.filter((r) => r.passed).length} also met every expectation` +
      (results[0] ? ` (FAULT_SEED=${results[0].seed}, ${results[0].scenes} scenes per job${process.env['FAULT_AT_FRACTION'] ? `, FAULT_AT_FRACTION=${process.env['FAULT_AT_FRACTION']}` : ''}).` : '.'),
    '',
    '| # | fault | moment | expected | observed | extra Claude calls | duration | result |',
    '| --- | --- | --- | --- | --- | ---: | ---: | --- |',
    ...[...results]
      .sort((a, b) => a.number.localeCompare(b.number, 'en', { numeric: true }))
      .map(
        (r) =>
          `| ${r.number} | ${cell(r.fault)} | ${cell(r.moment)} | ${cell(r.expected)} | ${cell(r.observed)} | ${r.extraClaudeCalls} | ${(r.durationMs / 1000).toFixed(1)} s | ${verdictOf(r)} |`,
      ),
  ];
  return lines.join('\n');
}

/** Replaces the table between the markers in docs/fault-suite.md (the rest of the page is prose). */
export function writeDocsTable(table: string, file = docsFile): void {
  if (!existsSync(file)) return;
  const page = readFileSync(file, 'utf8');
  const from = page.indexOf(start);
  const to = page.indexOf(end);
  if (from < 0 || to < from) return;
  writeFileSync(file, `${page.slice(0, from + start.length)}\n${table}\n${page.slice(to)}`);
}
