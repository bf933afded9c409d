import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * What Linux says about a process (/proc/<pid>/stat and status) and the machine (/proc/stat).
 * CPU is in clock ticks (`getconf CLK_TCK`, 100 on Linux); memory in kB.
 */

let ticksPerSecond: number | undefined;

export function clockTicksPerSecond(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

export const ticksToMs = (ticks: number): number => (ticks * 1000) / clockTicksPerSecond();

export interface ProcessCpu {
  /** utime + stime of the process itself. */
  own: number;
  /** cutime + cstime: children it has waited for (PostgreSQL backends that have exited). */
  reapedChildren: number;
  ppid: number;
  comm: string;
}

/** Parses /proc/<pid>/stat; the command name is in parentheses and may contain spaces. */
export function parseStat(stat: string): ProcessCpu {
  const close = stat.lastIndexOf(')');
  const comm = stat.slice(stat.indexOf('(') + 1, close);
  // Fields from the 3rd (state) on; utime is the 14th, so index 11 here.
  const rest = stat.slice(close + 2).split(' ');
  const field = (i: number) => Number(rest[i]);
  return { comm, ppid: field(1), own: field(11) + field(12), reapedChildren: field(13) + field(14) };
}

export function readProcessCpu(pid: number): ProcessCpu | undefined {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

export interface Memory {
  rssKb: number;
  /** Peak RSS over the process's life (VmHWM). */
  peakRssKb: number;
}

export function parseStatus(status: string): Memory {
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssKb: kb('VmRSS'), peakRssKb: kb('VmHWM') };
}

export function readMemory(pid: number): Memory | undefined {
  try {
    return parseStatus(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Pids whose command name (/proc/<pid>/comm) is `comm`. */
export function pidsByComm(comm: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === comm) pids.push(Number(entry));
    } catch {
      // gone already
    }
  }
  return pids;
}

/**
 * CPU ticks of a process family found by command name: every live member's own time plus,
 * for the members whose parent is not in the family (PostgreSQL's postmaster), the time of
 * children they have reaped. Backends that come and go between two readings are then
 * counted once, whichever side of the reading they die on.
 */
export function familyTicks(comm: string): number {
  const members = pidsByComm(comm).flatMap((pid) => {
    const cpu = readProcessCpu(pid);
    return cpu ? [{ pid, ...cpu }] : [];
  });
  const pids = new Set(members.map((m) => m.pid));
  return members.reduce((sum, m) => sum + m.own + (pids.has(m.ppid) ? 0 : m.reapedChildren), 0);
}

/** Busy and total ticks of the whole machine, all cores (/proc/stat). */
export function machineTicks(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const total = values.slice(0, 8).reduce((a, b) => a + b, 0); // user … steal; guest is inside user
  const idle = (values[3] ?? 0) + (values[4] ?? 0); // idle + iowait
  return { busy: total - idle, total };
}
