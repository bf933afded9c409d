import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { namespaced, Subject } from '@scenewise/contracts';
import { connectNats, ensureTopology, MessageBus } from '@scenewise/messaging';
import { createLogger } from '@scenewise/telemetry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * deploy/nats/nats-cluster.conf (docker-compose.cluster.yml's nodes) for real: three
 * nats-servers of this test's own, started from copies of that config (free ports, temporary
 * stores, compose hostnames swapped for 127.0.0.1), form one cluster with the same users, and
 * a stream replicated on all three survives the loss of a node.
 */

const natsServerBinary = process.env['NATS_SERVER_BIN'] ?? '/usr/sbin/nats-server';
const deployDir = join(__dirname, '..', '..', '..', 'deploy', 'nats');
const nodes = ['nats-1', 'nats-2', 'nats-3'] as const;

const passwordEnv = {
  NATS_API_PASSWORD: 'test-api-password',
  NATS_ORCHESTRATOR_PASSWORD: 'test-orchestrator-password',
  NATS_SUMMARIZER_PASSWORD: 'test-summarizer-password',
  NATS_HEALTH_PASSWORD: 'test-health-password',
  NATS_ADMIN_PASSWORD: 'test-admin-password',
};

const logger = createLogger({ service: 'compose-nats-cluster', level: 'silent' });
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Replaces what the compose config must have, so drift in that file fails here loudly. */
function rewrite(text: string, pattern: RegExp, replacement: (...groups: string[]) => string): string {
  if (!pattern.test(text)) throw new Error(`deploy/nats/nats-cluster.conf no longer matches ${pattern}`);
  return text.replace(pattern, (_match, ...groups: string[]) => replacement(...groups));
}

async function getJson<T>(url: string): Promise<T | undefined> {
  try {
    const res = await fetch(url);
    return res.ok ? ((await res.json()) as T) : undefined;
  } catch {
    return undefined;
  }
}

describe('deploy/nats/nats-cluster.conf: three nodes form one cluster with replicated streams', () => {
  let dir: string;
  const servers = new Map<string, ChildProcess>();
  const logs = new Map<string, string[]>();
  const clientPorts: number[] = [];
  const monitorPorts: number[] = [];
  let bus: MessageBus | undefined;

  const stopNode = async (node: string) => {
    const child = servers.get(node);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(5_000)]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'scenewise-compose-nats-cluster-'));
    const routePorts: number[] = [];
    for (let i = 0; i < nodes.length; i++) {
      clientPorts.push(await freePort());
      monitorPorts.push(await freePort());
      routePorts.push(await freePort());
    }
    const template = readFileSync(join(deployDir, 'nats-cluster.conf'), 'utf8');

    nodes.forEach((node, i) => {
      const nodeDir = join(dir, node);
      mkdirSync(nodeDir);
      let conf = template;
      conf = rewrite(conf, /^listen: .*$/m, () => `listen: 127.0.0.1:${clientPorts[i]}`);
      conf = rewrite(conf, /^http: .*$/m, () => `http: 127.0.0.1:${monitorPorts[i]}`);
      conf = rewrite(conf, /^(\s*)store_dir: .*$/m, (indent) => `${indent}store_dir: "${join(nodeDir, 'data')}"`);
      conf = rewrite(conf, /^(\s*)listen: 0\.0\.0\.0:6222$/m, (indent) => `${indent}listen: 127.0.0.1:${routePorts[i]}`);
      // Each route names a node by its compose hostname: point it at that node's local port.
      conf = rewrite(conf, /nats-route:\/\/nats-(\d):6222/g, (n) => `nats-route://127.0.0.1:${routePorts[Number(n) - 1]}`);
      writeFileSync(join(nodeDir, 'nats-cluster.conf'), conf);
      copyFileSync(join(deployDir, 'auth.conf'), join(nodeDir, 'auth.conf'));

      const child = spawn(natsServerBinary, ['-c', join(nodeDir, 'nats-cluster.conf')], {
        env: { PATH: process.env['PATH'], ...passwordEnv, NATS_SERVER_NAME: node },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const log: string[] = [];
      for (const out of [child.stdout!, child.stderr!]) out.setEncoding('utf8').on('data', (d: string) => log.push(d));
      servers.set(node, child);
      logs.set(node, log);
    });

    // The override's healthcheck (current with the JetStream meta leader), two routes each,
    // and all three in the JetStream meta group (peers join it a moment after the routes).
    const deadline = Date.now() + 15_000;
    for (;;) {
      const states = await Promise.all(
        monitorPorts.map(async (port) => ({
          healthy: (await getJson<{ status: string }>(`http://127.0.0.1:${port}/healthz?js-server-only=true`))?.status === 'ok',
          routes: (await getJson<{ num_routes: number }>(`http://127.0.0.1:${port}/routez`))?.num_routes ?? 0,
          meta: (await getJson<{ meta_cluster?: { cluster_size: number } }>(`http://127.0.0.1:${port}/jsz`))?.meta_cluster?.cluster_size ?? 0,
        })),
      );
      if (states.every((s) => s.healthy && s.routes === 2 && s.meta === 3)) break;
      const exited = [...servers].filter(([, child]) => child.exitCode !== null);
      if (exited.length > 0 || Date.now() > deadline) {
        const said = nodes.map((node) => `--- ${node}:\n${logs.get(node)!.join('').slice(-1_500)}`).join('\n');
        throw new Error(`the cluster did not form (${JSON.stringify(states)}); the servers said:\n${said}`);
      }
      await sleep(100);
    }
  }, 30_000);

  afterAll(async () => {
    await bus?.nc.close().catch(() => undefined);
    await Promise.all(nodes.map(stopNode));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('routes every node to the other two, by their server names', async () => {
    for (const [i, node] of nodes.entries()) {
      const routez = await getJson<{ routes: Array<{ remote_name?: string }> }>(`http://127.0.0.1:${monitorPorts[i]}/routez`);
      const jsz = await getJson<{ meta_cluster?: { name: string; cluster_size: number } }>(`http://127.0.0.1:${monitorPorts[i]}/jsz`);
      expect(jsz?.meta_cluster).toMatchObject({ name: 'scenewise', cluster_size: 3 });
      const peers = routez!.routes.map((r) => r.remote_name).filter(Boolean);
      // remote_name is reported by 2.10; 2.9 leaves it out.
      if (peers.length > 0) expect(peers.sort()).toEqual(nodes.filter((n) => n !== node));
    }
  });

  it('keeps a stream on all three nodes, with the same users, and goes on when one node stops', async () => {
    const urls = clientPorts.map((port) => `nats://127.0.0.1:${port}`).join(',');
    const nc = await connectNats({ servers: urls, name: 'compose-nats-cluster-api', user: 'api', password: passwordEnv.NATS_API_PASSWORD }, logger);
    const topology = namespaced('');
    bus = new MessageBus(nc, topology, logger);
    const jsm = await jetstreamManager(nc);
    await ensureTopology(jsm, topology);
    // What NATS_STREAM_REPLICAS=3 will make ensureTopology do (a stream update is allowed to scale up).
    const stream = topology.streamName('analysis');
    await jsm.streams.update(stream, { num_replicas: 3 });

    let info = await jsm.streams.info(stream);
    for (let i = 0; i < 50 && !(info.cluster?.replicas?.length === 2 && info.cluster.replicas.every((r) => r.current)); i++) {
      await sleep(100);
      info = await jsm.streams.info(stream);
    }
    expect(info.config.num_replicas).toBe(3);
    expect([info.cluster!.leader!, ...info.cluster!.replicas!.map((r) => r.name)].sort()).toEqual([...nodes]);
    expect(info.cluster!.replicas!.every((r) => r.current)).toBe(true);
    // Its durable consumer (num_replicas unset: the stream's) follows it onto all three.
    let consumer = await jsm.consumers.info(stream, 'orchestrator-requests');
    for (let i = 0; i < 50 && consumer.cluster?.replicas?.length !== 2; i++) {
      await sleep(100);
      consumer = await jsm.consumers.info(stream, 'orchestrator-requests');
    }
    expect(consumer.cluster?.replicas?.length).toBe(2);

    const request = () => ({ jobId: randomUUID(), scriptId: randomUUID(), mode: 'full' as const, requestedAt: new Date().toISOString() });
    await bus.publish(Subject.analysisRequested, request());

    // Stop a node that is neither the stream's leader nor the one this client talks to.
    const connectedPort = Number(new URL(`nats://${nc.getServer()}`).port);
    const victim = nodes.find((node, i) => node !== info.cluster!.leader && clientPorts[i] !== connectedPort)!;
    await stopNode(victim);
    await bus.publish(Subject.analysisRequested, request());
    const after = await jsm.streams.info(stream);
    expect(after.state.messages).toBe(2);
    expect(servers.get(victim)!.exitCode ?? servers.get(victim)!.signalCode).not.toBeNull();
  }, 20_000);
});
