import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { readResults, renderTable, suiteDir, writeDocsTable } from './fault-report';

// Global setup of the fault suite: a directory of this run's own (results, logs; FAULT_RUN_DIR
// or tmp/fault-suite/run-<time>-<pid>), so runs at the same time never mix. At the end: the table in it and, as the latest finished run,
// in tmp/fault-suite/results.{jsonl,md}; and in docs/fault-suite.md when FAULT_WRITE_DOCS=1
// (the suite's script sets it for a whole run at the default moments).
export default function setup(project: TestProject): () => void {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  const dir = process.env['FAULT_RUN_DIR'] ? resolve(process.env['FAULT_RUN_DIR']) : join(suiteDir, `run-${stamp}-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  project.provide('faultRunDir', dir);
  return () => {
    const file = join(dir, 'results.jsonl');
    const results = readResults(file);
    if (!results.length) return;
    const table = renderTable(results);
    writeFileSync(join(dir, 'results.md'), `${table}\n`);
    copyFileSync(file, join(suiteDir, 'results.jsonl'));
    copyFileSync(join(dir, 'results.md'), join(suiteDir, 'results.md'));
    writeFileSync(join(suiteDir, 'latest-run'), `${dir}\n`);
    if (process.env['FAULT_WRITE_DOCS'] === '1') writeDocsTable(table);
  };
}
