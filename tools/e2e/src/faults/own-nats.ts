import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, stopChild, waitForPort } from './processes';

/**
 * A NATS server with JetStream of the fault suite's own, on a free port with its own store
 * directory, so a scenario can stop and restart it without touching the machine's shared
 * server. The store survives restarts, as a real server's disk does.
 */
export interface OwnNats {
  url: string;
  port: number;
  storeDir: string;
  /** Stops the server (SIGTERM: a clean shutdown; SIGKILL: a crash). */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port with the same store. */
  start(): Promise<void>;
  /** Stops it for good and removes its store. */
  destroy(): Promise<void>;
}

const natsServerBinary = process.env['NATS_SERVER_BIN'] ?? '/usr/sbin/nats-server';

export async function startOwnNats(): Promise<OwnNats> {
  const port = await freePort();
  const storeDir = mkdtempSync(join(tmpdir(), 'scenewise-fault-nats-'));
  let child: ChildProcess | undefined;
  const log: string[] = [];

  const start = async () => {
    child = spawn(natsServerBinary, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [child.stdout!, child.stderr!]) stream.setEncoding('utf8').on('data', (d: string) => log.push(d));
    try {
      await waitForPort(port);
    } catch (err) {
      throw new Error(`${(err as Error).message}; nats-server said:\n${log.slice(-10).join('')}`);
    }
  };
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child) await stopChild(child, signal);
    child = undefined;
  };

  await start();
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    storeDir,
    stop,
    start,
    destroy: async () => {
      await stop();
      rmSync(storeDir, { recursive: true, force: true });
    },
  };
}
