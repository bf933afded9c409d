import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, waitForPort } from './processes';

/**
 * A PostgreSQL 15 cluster of the fault suite's own (initdb in a temp directory, trust auth,
 * superuser `root`, fsync off), on a free port, so a scenario can stop it without touching
 * the machine's shared cluster. initdb refuses to run as root, so as root it runs as the
 * `postgres` user.
 */
export interface OwnPostgres {
  port: number;
  /** The cluster's `postgres` database as superuser, for createTestDatabase(adminUrl). */
  adminUrl: string;
  /** `pg_ctl stop`: fast (clients disconnected, clean) or immediate (a crash). */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

const binDir = process.env['PG_BIN_DIR'] ?? '/usr/lib/postgresql/15/bin';
const run = promisify(execFile);
const asRoot = process.getuid?.() === 0;

function runAsOwner(binary: string, args: string[]) {
  const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(binDir, binary), ...args]] : [join(binDir, binary), args];
  return run(file, argv, { timeout: 60_000 });
}

export async function startOwnPostgres(): Promise<OwnPostgres> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'scenewise-fault-pg-'));
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const data = join(dir, 'data');
  await runAsOwner('initdb', ['-D', data, '-U', 'root', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;

  const start = async () => {
    await runAsOwner('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', 'start']);
    await waitForPort(port);
  };
  const stop = async (mode: 'fast' | 'immediate' = 'fast') => {
    await runAsOwner('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']).catch(() => undefined);
  };

  await start();
  return {
    port,
    adminUrl: `postgresql://root@127.0.0.1:${port}/postgres`,
    stop,
    start,
    destroy: async () => {
      await stop('immediate');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
