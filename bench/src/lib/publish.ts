import { loadavg } from 'node:os';
import { join } from 'node:path';
import { type Cell, formatCell, markdownTable } from './figures';
import type { JobTimeline } from './job-runner';
import { describeMachine } from './machine';
import { type Check, type Report, renderSection, writeReport } from './results';
import type { CommonOptions } from './options';

// Read when the benchmark starts: how busy the machine already was.
const loadAtStart = loadavg()[0]!;

/** Prints a benchmark's section and, unless `--no-write`, writes it to bench/results/. */
export async function publish(
  workspaceRoot: string,
  options: CommonOptions,
  report: Omit<Report, 'date' | 'machine' | 'command' | 'load'> & { argv: string[] },
): Promise<boolean> {
  const { argv, ...rest } = report;
  const full: Report = {
    ...rest,
    command: ['bash bench/run.sh', report.benchmark, ...argv].join(' '),
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    machine: await describeMachine(workspaceRoot),
    load: { atStart: round2(loadAtStart), atEnd: round2(loadavg()[0]!) },
  };
  console.log(`\n${renderSection(full)}\n`);
  if (options.write) {
    const written = writeReport(join(workspaceRoot, 'bench', 'results'), full);
    console.log(`written: ${written.json}, ${written.markdown}`);
  }
  return !full.error && full.checks.every((c) => c.pass);
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export function check(what: string, target: string, value: Cell, pass: boolean): Check {
  return { what, target, value, pass };
}

export const seconds = (ms: number | null | undefined): number | null => (ms === null || ms === undefined ? null : Math.round(ms) / 1000);

/** A table of the job timelines (medians), to show where the wall time went. */
export function timelineNote(timelines: JobTimeline[], median: (values: number[]) => number): string {
  const keys: Array<[keyof JobTimeline, string]> = [
    ['started', 'orchestrator took the job'],
    ['firstTaskQueued', 'first scene task created'],
    ['lastTaskQueued', 'last scene task created'],
    ['firstTaskStarted', 'first scene claimed by a summarizer'],
    ['lastTaskStarted', 'last scene claimed'],
    ['lastTaskFinished', 'last scene finished'],
    ['finished', 'job terminal'],
  ];
  const perTask: Array<[keyof JobTimeline, string]> = [
    ['queueWaitP50', 'per scene: queued → claimed, p50'],
    ['queueWaitP95', 'per scene: queued → claimed, p95'],
    ['taskP50', 'per scene: claimed → finished, p50'],
    ['taskP95', 'per scene: claimed → finished, p95'],
    ['claudeP50', 'per scene: Messages call, p50'],
  ];
  if (timelines.length === 0) return '';
  const value = (k: keyof JobTimeline): Cell => {
    const values = timelines.map((t) => t[k]).filter((v): v is number => v !== null);
    return values.length ? Math.round(median(values)) : null;
  };
  return [
    'Where the wall time went (ms after the API created the job; medians over the runs; the 202 follows the job row by the POST round trip):',
    '',
    markdownTable(['event', 'ms'], [...keys, ...perTask].map(([k, label]) => [label, value(k)])),
  ].join('\n');
}

export const describeEnv = (env: Record<string, string>): string =>
  Object.keys(env).length === 0 ? 'none' : Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ');

export const fmt = formatCell;
