import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { Consumer, type ConsumerKey, namespaced, Stream, type StreamKey, Subject } from '@scenewise/contracts';
import { buildSceneResult, buildSceneTask } from '@scenewise/contracts/testing';
import { connectNats, ensureTopology, MessageBus, NonRetryableError, openBucket, type RunningConsumer, startHeartbeat } from '@scenewise/messaging';
import { createLogger } from '@scenewise/telemetry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * deploy/nats/nats.conf (the compose NATS) for real: a nats-server of this test's own, on free
 * ports with a temporary store, started from a copy of that file and its auth.conf, the
 * passwords given through the environment as docker-compose.yml gives them. One MessageBus per
 * service, connected with that service's user, does what the service does; then each is shown
 * what it must not do, and a wrong password is refused.
 */

const natsServerBinary = process.env['NATS_SERVER_BIN'] ?? '/usr/sbin/nats-server';
const deployDir = join(__dirname, '..', '..', '..', 'deploy', 'nats');
const services = ['api', 'orchestrator', 'summarizer', 'health'] as const;
type Service = (typeof services)[number];

const passwords: Record<Service | 'admin', string> = {
  api: 'test-api-password',
  orchestrator: 'test-orchestrator-password',
  summarizer: 'test-summarizer-password',
  health: 'test-health-password',
  admin: 'test-admin-password',
};
const passwordEnv = {
  NATS_API_PASSWORD: passwords.api,
  NATS_ORCHESTRATOR_PASSWORD: passwords.orchestrator,
  NATS_SUMMARIZER_PASSWORD: passwords.summarizer,
  NATS_HEALTH_PASSWORD: passwords.health,
  NATS_ADMIN_PASSWORD: passwords.admin,
};

const topology = namespaced('');
const logger = createLogger({ service: 'compose-nats-auth', level: 'silent' });
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

/** Replaces a line the compose config must have, so drift in that file fails here loudly. */
function replaceLine(text: string, line: RegExp, replacement: string): string {
  if (!line.test(text)) throw new Error(`deploy/nats/nats.conf no longer has a line matching ${line}`);
  return text.replace(line, replacement);
}

/** Polls `condition`; on time-out, says what it waited for and what `state` then was. */
async function until(what: string, condition: () => boolean, state: () => unknown = () => undefined, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(state())}`);
    await sleep(20);
  }
}

/** Every error the server sent a connection (permission violations arrive this way). */
function watchErrors(nc: NatsConnection): Error[] {
  const errors: Error[] = [];
  void (async () => {
    for await (const status of nc.status()) if (status.type === 'error') errors.push(status.error);
  })().catch(() => undefined);
  return errors;
}

describe('deploy/nats/nats.conf: a NATS user per service, limited to what the service does', () => {
  let dir: string;
  let server: ChildProcess | undefined;
  const serverLog: string[] = [];
  let url: string;
  let monitorUrl: string;
  const buses = {} as Record<Service, MessageBus>;
  const errors = {} as Record<Service, Error[]>;

  const connectAs = (user: string, password: string | undefined) =>
    connectNats({ servers: url, name: `compose-nats-auth-${user}`, user, password }, logger);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'scenewise-compose-nats-'));
    const [port, monitorPort] = [await freePort(), await freePort()];
    let conf = readFileSync(join(deployDir, 'nats.conf'), 'utf8');
    conf = replaceLine(conf, /^listen: .*$/m, `listen: 127.0.0.1:${port}`);
    conf = replaceLine(conf, /^http: .*$/m, `http: 127.0.0.1:${monitorPort}`);
    conf = replaceLine(conf, /^(\s*)store_dir: .*$/m, `$1store_dir: "${join(dir, 'data')}"`);
    writeFileSync(join(dir, 'nats.conf'), conf);
    copyFileSync(join(deployDir, 'auth.conf'), join(dir, 'auth.conf'));
    url = `nats://127.0.0.1:${port}`;
    monitorUrl = `http://127.0.0.1:${monitorPort}`;

    server = spawn(natsServerBinary, ['-c', join(dir, 'nats.conf')], {
      env: { PATH: process.env['PATH'], ...passwordEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const out of [server.stdout!, server.stderr!]) out.setEncoding('utf8').on('data', (d: string) => serverLog.push(d));
    // The compose healthcheck's request, without credentials: monitoring needs none.
    const deadline = Date.now() + 15_000;
    for (;;) {
      const ok = await fetch(`${monitorUrl}/healthz?js-enabled-only=true`).then((r) => r.ok, () => false);
      if (ok) break;
      if (server.exitCode !== null || Date.now() > deadline) {
        throw new Error(`nats-server did not become healthy; it said:\n${serverLog.join('').slice(-3_000)}`);
      }
      await sleep(50);
    }

    for (const service of services) {
      const nc = await connectAs(service, passwords[service]);
      errors[service] = watchErrors(nc);
      buses[service] = new MessageBus(nc, topology, logger);
    }
  }, 30_000);

  afterAll(async () => {
    await Promise.all(Object.values(buses).map((bus) => bus.nc.close().catch(() => undefined)));
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server!.once('exit', resolve));
      server.kill('SIGTERM');
      await Promise.race([exited, sleep(5_000)]);
      if (server.exitCode === null) server.kill('SIGKILL');
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lets every service do its job: topology, publishes, pulls, acks, dead letters, progress, heartbeats', async () => {
    // api, orchestrator and summarizer each create or update the whole topology at start-up.
    for (const service of ['api', 'orchestrator', 'summarizer'] as const) {
      await ensureTopology(await jetstreamManager(buses[service].nc), topology);
    }

    // summarizer: the shared rate-limit budget, created, read and written with compare-and-set.
    const budgets = await openBucket(buses.summarizer, 'rateBudgets');
    const created = await budgets.create('model.test', '{}');
    expect((await budgets.get('model.test'))?.revision).toBe(created);
    expect(await budgets.update('model.test', '{"observedAt":1}', created)).toBeGreaterThan(created);

    // health: read-only JetStream state, as its NATS check reads it.
    const healthJsm = await jetstreamManager(buses.health.nc, { timeout: 2_000 });
    for (const key of Object.keys(Stream) as StreamKey[]) {
      expect((await healthJsm.streams.info(topology.streamName(key))).config.name).toBe(Stream[key].name);
    }
    for (const key of Object.keys(Consumer) as ConsumerKey[]) {
      const def = Consumer[key];
      expect((await healthJsm.consumers.info(topology.streamName(def.stream), def.durable)).name).toBe(def.durable);
    }

    // health hears the other three's heartbeats.
    const beats = new Set<string>();
    const stopListening = buses.health.subscribe(Subject.serviceHeartbeat, (beat) => beats.add(beat.service));
    await buses.health.nc.flush();
    const heartbeats = (['api', 'orchestrator', 'summarizer'] as const).map((service) =>
      startHeartbeat(buses[service], { service, version: 'test', intervalMs: 200 }),
    );

    // api follows job progress.
    const progress: string[] = [];
    const stopProgress = buses.api.subscribe(Subject.jobProgress, (p) => progress.push(p.jobId));
    await buses.api.nc.flush();

    const jobId = randomUUID();
    const requested: string[] = [];
    const results: string[] = [];
    const deadLetters: Array<{ subject: string; seq: number }> = [];
    const running: RunningConsumer[] = [];

    // orchestrator: a request fans out two scene tasks (one the summarizer cannot handle) and
    // announces progress; a cancellation it cannot handle goes to the dead letters.
    running.push(
      await buses.orchestrator.consume('orchestratorRequests', {
        [Subject.analysisRequested]: async (request) => {
          requested.push(request.jobId);
          await buses.orchestrator.publish(Subject.sceneSummarize, buildSceneTask({ jobId: request.jobId }), { msgId: `${request.jobId}:0` });
          await buses.orchestrator.publish(Subject.sceneSummarize, buildSceneTask({ jobId: request.jobId, heading: 'POISON' }), { msgId: `${request.jobId}:1` });
          await buses.orchestrator.publish(Subject.jobProgress, {
            jobId: request.jobId,
            status: 'running',
            total: 2,
            succeeded: 0,
            failed: 0,
            cancelled: 0,
            skipped: 0,
            etaSeconds: null,
            at: new Date().toISOString(),
          });
        },
        [Subject.analysisCancel]: async () => {
          throw new NonRetryableError('test: this cancellation cannot be handled');
        },
      }),
      await buses.orchestrator.consume('orchestratorResults', {
        [Subject.sceneResult]: async (result) => void results.push(result.taskId),
      }),
      await buses.orchestrator.consume('orchestratorDeadLetters', {
        [Subject.deadLetter]: async (letter, ctx) => void deadLetters.push({ subject: letter.subject, seq: ctx.streamSequence }),
      }),
      // summarizer: the shared work queue in, results (or a dead letter) out.
      await buses.summarizer.consume('summarizer', {
        [Subject.sceneSummarize]: async (task) => {
          if (task.heading === 'POISON') throw new NonRetryableError('test: this scene cannot be summarized');
          await buses.summarizer.publish(Subject.sceneResult, buildSceneResult({ jobId: task.jobId, taskId: task.taskId, sceneId: task.sceneId }));
        },
      }),
    );

    // api: queues the job and asks to cancel it.
    await buses.api.publish(
      Subject.analysisRequested,
      { jobId, scriptId: randomUUID(), mode: 'full', requestedAt: new Date().toISOString() },
      { msgId: jobId },
    );
    await buses.api.publish(Subject.analysisCancel, { jobId, reason: 'test' }, { msgId: `cancel-${jobId}` });
    // orchestrator: the reconciler re-sends a request stuck in `queued`.
    await buses.orchestrator.publish(
      Subject.analysisRequested,
      { jobId, scriptId: randomUUID(), mode: 'full', requestedAt: new Date().toISOString() },
      { msgId: `${jobId}:resend:1` },
    );

    // The re-sent request fans out the same tasks again: de-duplicated by message id.
    const seen = () => ({ requested, results, deadLetters, errors: Object.fromEntries(services.map((s) => [s, errors[s].map(String)])) });
    await until('both requests, one result and two dead letters', () => requested.length === 2 && results.length === 1 && deadLetters.length === 2, seen);
    await until('job progress at the api', () => progress.includes(jobId), seen);
    await until('three services heard by health', () => beats.size === 3, () => [...beats]);
    expect([...beats].sort()).toEqual(['api', 'orchestrator', 'summarizer']);
    expect(deadLetters.map((d) => d.subject).sort()).toEqual([Subject.analysisCancel, Subject.sceneSummarize]);

    // api: reads a dead letter by its sequence.
    const apiJsm = await jetstreamManager(buses.api.nc);
    const stored = await apiJsm.streams.getMessage(topology.streamName('deadLetters'), { seq: deadLetters[0]!.seq });
    expect(stored?.subject).toBe(Subject.deadLetter);

    for (const consumer of running) await consumer.stop(1_000);
    for (const heartbeat of heartbeats) heartbeat.stop();
    stopListening();
    stopProgress();

    // Everything was acknowledged or terminated: nothing left to deliver, nothing in flight.
    const expected: Record<string, { pending: number; ackPending: number }> = {};
    for (const key of Object.keys(Consumer) as ConsumerKey[]) expected[Consumer[key].durable] = { pending: 0, ackPending: 0 };
    const backlog = async () => {
      const state: typeof expected = {};
      for (const key of Object.keys(Consumer) as ConsumerKey[]) {
        const def = Consumer[key];
        const info = await healthJsm.consumers.info(topology.streamName(def.stream), def.durable);
        state[def.durable] = { pending: info.num_pending, ackPending: info.num_ack_pending };
      }
      return state;
    };
    // Terminations are fire-and-forget: give the server a moment to apply the last ones.
    let state = await backlog();
    for (let i = 0; i < 50 && JSON.stringify(state) !== JSON.stringify(expected); i++) {
      await sleep(100);
      state = await backlog();
    }
    expect(state).toEqual(expected);
    // And not one permission violation on any connection, fire-and-forget publishes included.
    for (const service of services) expect({ service, errors: errors[service].map(String) }).toEqual({ service, errors: [] });
  }, 30_000);

  it('refuses a service what it must not do, as a permissions violation', async () => {
    const violation = /permissions violation/i;

    // summarizer cannot queue a job.
    await expect(
      buses.summarizer.publish(Subject.analysisRequested, { jobId: randomUUID(), scriptId: randomUUID(), mode: 'full', requestedAt: new Date().toISOString() }),
    ).rejects.toThrow(violation);
    // api cannot write scene results nor delete a stream.
    await expect(buses.api.publish(Subject.sceneResult, buildSceneResult())).rejects.toThrow(violation);
    await expect((await jetstreamManager(buses.api.nc)).streams.delete(topology.streamName('sceneTasks'))).rejects.toThrow(violation);
    // health is read-only: it cannot create or update the topology.
    await expect(ensureTopology(await jetstreamManager(buses.health.nc), topology)).rejects.toThrow(violation);

    // api cannot take scene tasks: its pull request is refused, and the task stays queued.
    await buses.orchestrator.publish(Subject.sceneSummarize, buildSceneTask());
    const apiErrors = errors.api.length;
    const tasks = await buses.api.js.consumers.get(topology.streamName('sceneTasks'), Consumer.summarizer.durable);
    const taken = await tasks.next({ expires: 1_000 }).catch(() => null);
    expect(taken).toBeNull();
    await until('the api to be told', () => errors.api.length > apiErrors);
    expect(String(errors.api.at(-1))).toMatch(/permissions violation for publish to "\$JS\.API\.CONSUMER\.MSG\.NEXT\.SCENE_TASKS\.summarizer"/i);
    const queued = await (await jetstreamManager(buses.health.nc)).consumers.info(topology.streamName('sceneTasks'), Consumer.summarizer.durable);
    expect(queued.num_pending).toBe(1);

    // summarizer cannot listen in on job progress (a subscription is refused as well).
    const summarizerErrors = errors.summarizer.length;
    buses.summarizer.subscribe(Subject.jobProgress, () => undefined);
    await buses.summarizer.nc.flush();
    await until('the summarizer to be told', () => errors.summarizer.length > summarizerErrors);
    expect(String(errors.summarizer.at(-1))).toMatch(/permissions violation for subscription to "job\.progress"/i);

    // health cannot pass itself off as another service.
    const healthErrors = errors.health.length;
    buses.health.nc.publish(Subject.serviceHeartbeat, '{}');
    await buses.health.nc.flush();
    await until('health to be told', () => errors.health.length > healthErrors);
    expect(String(errors.health.at(-1))).toMatch(/permissions violation for publish to "service\.heartbeat"/i);

    // The connections survive a violation.
    for (const service of services) expect(buses[service].nc.isClosed()).toBe(false);
  }, 30_000);

  it('refuses a wrong password, an unknown user and no credentials', async () => {
    await expect(connectAs('api', 'not-the-api-password')).rejects.toThrow(/authorization violation/i);
    await expect(connectAs('summarizer', passwords.api)).rejects.toThrow(/authorization violation/i);
    await expect(connectAs('intruder', 'whatever')).rejects.toThrow(/authorization violation/i);
    await expect(connectAs('', undefined)).rejects.toThrow(/authorization violation/i);
    // The operators' user exists and connects.
    const admin = await connectAs('admin', passwords.admin);
    await admin.close();
  });
});
