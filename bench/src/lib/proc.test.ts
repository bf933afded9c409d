import { describe, expect, it } from 'vitest';
import { familyTicks, machineTicks, parseStat, parseStatus, readMemory, readProcessCpu } from './proc';

describe('/proc readings', () => {
  it('parses a stat line whose command name has spaces and parentheses', () => {
    const stat = '42 (node (x) y) S 1 42 42 0 -1 4194304 100 0 0 0 250 50 7 3 20 0 11 0 100 1000 200';
    expect(parseStat(stat)).toEqual({ comm: 'node (x) y', ppid: 1, own: 300, reapedChildren: 10 });
  });

  it('parses VmRSS and VmHWM', () => {
    expect(parseStatus('Name:\tnode\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\n')).toEqual({ rssKb: 102400, peakRssKb: 204800 });
  });

  it('reads this process and the machine', () => {
    expect(readProcessCpu(process.pid)?.comm).toBeTruthy();
    expect(readMemory(process.pid)?.rssKb).toBeGreaterThan(0);
    expect(readProcessCpu(2 ** 30)).toBeUndefined();
    const machine = machineTicks();
    expect(machine.total).toBeGreaterThanOrEqual(machine.busy);
    expect(familyTicks('no-such-process-name')).toBe(0);
  });
});
