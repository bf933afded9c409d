import { describe, expect, it } from 'vitest';
import type { Machine } from './machine';
import { type Report, renderSection, upsertSection } from './results';

const machine: Machine = { cores: 2, cpu: 'AMD EPYC', memoryGiB: 23.5, kernel: '6', node: 'v20.20.2', postgresql: '15', natsServer: 'v2.9.10', commit: 'abc' };
const report = (benchmark: string, pass: boolean): Report => ({
  benchmark,
  title: benchmark,
  command: `bash bench/run.sh ${benchmark}`,
  date: '2026-11-29T00:00:00Z',
  machine,
  load: { atStart: 0.5, atEnd: 1.5 },
  parameters: { scenes: 40 },
  runs: [{ run: 1, 'wall s': 2.1 }, { run: 2, 'wall s': 2.3 }],
  median: { 'wall s': 2.2 },
  checks: [{ what: 'wall', target: '≤ 2.4 s', value: 2.2, pass }],
  notes: ['a note'],
});

describe('results', () => {
  it('renders a section with the verdict, the machine, the targets and every run', () => {
    const section = renderSection(report('fanout', true));
    expect(section).toMatch(/^<!-- bench:fanout -->\n## fanout: \*\*pass\*\*/);
    expect(section).toContain('2 cores (AMD EPYC)');
    expect(section).toContain('| median | 2.20');
    expect(section).toMatch(/<!-- \/bench:fanout -->$/);
    expect(renderSection({ ...report('fanout', true), error: 'boom' })).toContain('**did not finish**');
  });

  it('replaces a benchmark\'s own section and keeps the others, in a fixed order', () => {
    let doc = upsertSection('', 'footprint', renderSection(report('footprint', true)));
    doc = upsertSection(doc, 'fanout', renderSection(report('fanout', false)));
    doc = upsertSection(doc, 'fanout', renderSection(report('fanout', true)));
    expect(doc.match(/<!-- bench:fanout -->/g)).toHaveLength(1);
    expect(doc).toContain('## fanout: **pass**');
    expect(doc.indexOf('bench:fanout')).toBeLessThan(doc.indexOf('bench:footprint'));
    expect(doc).toMatch(/^# Benchmark results/);
  });
});
