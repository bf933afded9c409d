import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, release, totalmem } from 'node:os';
import { adminDatabaseUrl } from '@scenewise/db/testing';
import pg from 'pg';

/** The machine and software a figure was measured on, as quoted beside every result. */
export interface Machine {
  cores: number;
  cpu: string;
  memoryGiB: number;
  kernel: string;
  node: string;
  postgresql: string;
  natsServer: string;
  commit: string;
}

const quiet = (file: string, args: string[]): string => {
  try {
    return execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
};

export async function describeMachine(workspaceRoot: string): Promise<Machine> {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const cpu = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? 'unknown';
  const commit = quiet('git', ['-C', workspaceRoot, 'rev-parse', '--short', 'HEAD']);
  const dirty = quiet('git', ['-C', workspaceRoot, 'status', '--porcelain', '--untracked-files=no']) !== '';
  return {
    cores: availableParallelism(),
    cpu,
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    kernel: release(),
    node: process.version,
    postgresql: await postgresVersion(),
    natsServer: (quiet('nats-server', ['--version']) || quiet('/usr/sbin/nats-server', ['--version'])).replace(/^nats-server:\s*/, '') || 'unknown',
    commit: commit ? `${commit}${dirty ? ' + uncommitted changes' : ''}` : 'unknown',
  };
}

async function postgresVersion(): Promise<string> {
  const client = new pg.Client({ connectionString: adminDatabaseUrl() });
  try {
    await client.connect();
    return ((await client.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version ?? 'unknown').split(' ')[0]!;
  } catch {
    return 'unknown';
  } finally {
    await client.end().catch(() => undefined);
  }
}

export function machineLine(m: Machine): string {
  return `${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB, Linux ${m.kernel}, Node ${m.node}, PostgreSQL ${m.postgresql}, nats-server ${m.natsServer}; PostgreSQL, NATS and every service on this one machine`;
}
