import { rmSync, writeFileSync } from 'node:fs';
import { readResults, renderTable, resultsFile, writeDocsTable } from './fault-report';

// Global setup of the fault suite: a fresh results file per run; at the end, the table in
// tmp/fault-suite/results.md, and in docs/fault-suite.md when FAULT_WRITE_DOCS=1 (the
// suite's script sets it for a whole run, so one scenario run alone never replaces it).
export default function setup(): () => void {
  rmSync(resultsFile, { force: true });
  rmSync(resultsFile.replace(/\.jsonl$/, '.md'), { force: true });
  return () => {
    const results = readResults();
    if (!results.length) return;
    const table = renderTable(results);
    writeFileSync(resultsFile.replace(/\.jsonl$/, '.md'), `${table}\n`);
    if (process.env['FAULT_WRITE_DOCS'] === '1') writeDocsTable(table);
  };
}
