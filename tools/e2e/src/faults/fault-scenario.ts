import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { type AnthropicLocal, type AnthropicLocalOptions, startAnthropicLocal } from '@scenewise/anthropic-local';
import { namespaced, type StreamKey } from '@scenewise/contracts';
import { adminDatabaseUrl, createTestDatabase, type TestDatabase } from '@scenewise/db/testing';
import { deleteNamespaceStreams, randomNamespace } from '@scenewise/messaging/testing';
import { apiClient } from '../api-client';
import { type HarnessOptions, type Pipeline, type ServiceName, type ServiceProcess, serviceProblems, startPipeline, startService } from '../service-harness';
import { checkOutcomes, type Outcomes } from './check-outcomes';
import { runDir } from './fault-report';
import { faultSettings } from './fault-settings';
import { type OwnNats, startOwnNats } from './own-nats';
import { type OwnPostgres, startOwnPostgres } from './own-postgres';
import { sleep } from './processes';

/**
 * One fault scenario's world: a fresh database, a NATS namespace (or a NATS server and a
 * PostgreSQL cluster of its own, for the faults that stop them), the local Claude with
 * latency, and the four services as processes. A scenario starts a job, waits for its
 * moment, strikes, waits for the job to end and checks every scene's outcome.
 */
export interface ScenarioOptions {
  /** A NATS server of the scenario's own, to stop and restart. */
  ownNats?: boolean;
  /** A PostgreSQL cluster of the scenario's own, to stop and restart. */
  ownPostgres?: boolean;
  /** @default 2 */
  summarizers?: number;
  /** Service environment, over the suite's defaults. */
  env?: Record<string, string>;
  claude?: AnthropicLocalOptions;
}

export interface StartedJob {
  jobId: string;
  scriptId: string;
  scenes: number;
  requestedAt: number;
}

export interface JobEnd {
  ended: boolean;
  status: string;
  /** From the analysis request until the job was seen terminal (or given up on). */
  durationMs: number;
}

export const defaultServiceEnv: Record<string, string> = {
  SUMMARIZER_CONCURRENCY: '4',
  SUMMARIZER_RETRY_BASE_MS: '200',
  LOG_LEVEL: 'info',
};

const terminalJob = ['succeeded', 'partially_failed', 'failed', 'cancelled'];

/** Fountain with `count` short scenes, each with a character and a line. */
export function screenplay(count: number): string {
  return Array.from({ length: count }, (_, i) => `INT. ROOM ${i} - NIGHT\n\nMARA waits by door ${i}. The clock ticks.\n\nMARA\nLine ${i}, take ${faultSettings.seed}.\n`).join('\n');
}

/**
 * The harness gives a service 30 s to say it is ready; on a busy two-core machine (other
 * suites running) a start can miss that, or find dist/ being rebuilt by someone's build,
 * which says nothing about the fault: try again a little later.
 */
async function withRetries<T>(start: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (err) {
      if (attempt >= attempts || !/not ready after|is missing: build first/.test(String(err))) throw err;
      console.warn(`a service did not start (attempt ${attempt} of ${attempts}); starting again: ${String(err).split('\n')[0]}`);
      await sleep(5_000);
    }
  }
}

export class Scenario {
  /** Every service process the scenario started, restarts included, for the logs of a failure. */
  readonly processes: ServiceProcess[];

  private constructor(
    readonly database: TestDatabase,
    readonly claude: AnthropicLocal,
    readonly pipeline: Pipeline,
    readonly harness: HarnessOptions,
    readonly natsUrl: string,
    readonly nats: OwnNats | undefined,
    readonly postgres: OwnPostgres | undefined,
  ) {
    this.processes = pipeline.all();
  }

  static async start(options: ScenarioOptions = {}): Promise<Scenario> {
    // Whatever started before a failure is stopped again: a scenario that cannot start must
    // not leave a NATS server, a PostgreSQL cluster or a database behind.
    const started: Array<() => Promise<unknown>> = [];
    try {
      const [nats, postgres] = await Promise.all([
        options.ownNats ? startOwnNats().then((n) => (started.push(() => n.destroy()), n)) : undefined,
        options.ownPostgres ? startOwnPostgres().then((p) => (started.push(() => p.destroy()), p)) : undefined,
      ]);
      const natsUrl = nats?.url ?? process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
      const [database, claude] = await Promise.all([
        createTestDatabase(postgres?.adminUrl ?? adminDatabaseUrl()).then((d) => (started.push(() => d.drop()), d)),
        startAnthropicLocal({ latencyMs: faultSettings.latencyMs, jitterMs: faultSettings.jitterMs, seed: faultSettings.seed, ...options.claude }).then(
          (c) => (started.push(() => c.close()), c),
        ),
      ]);
      const harness: HarnessOptions = {
        databaseUrl: database.url,
        namespace: randomNamespace(),
        anthropicBaseUrl: claude.url,
        env: { ...defaultServiceEnv, NATS_URL: natsUrl, ...options.env },
      };
      started.push(() => deleteNamespaceStreams(namespaced(harness.namespace), natsUrl));
      const pipeline = await withRetries(() => startPipeline({ ...harness, summarizers: options.summarizers ?? 2 }));
      return new Scenario(database, claude, pipeline, harness, natsUrl, nats, postgres);
    } catch (err) {
      // Streams before the server they live on, the database before its cluster.
      for (const stop of started.reverse()) await stop().catch(() => undefined);
      throw err;
    }
  }


  api() {
    return apiClient(this.pipeline.api.url);
  }

  /** Starts one more instance of a service (after a crash or a stop) and puts it in the pipeline. */
  async restart(name: ServiceName, previous?: ServiceProcess): Promise<ServiceProcess> {
    const started = await withRetries(() => startService(name, this.harness));
    this.processes.push(started);
    if (name === 'summarizer') {
      const at = previous ? this.pipeline.summarizers.indexOf(previous) : -1;
      if (at >= 0) this.pipeline.summarizers[at] = started;
      else this.pipeline.summarizers.push(started);
    } else {
      this.pipeline[name] = started;
    }
    return started;
  }

  /** Uploads a screenplay of the suite's size and asks for a full analysis. */
  async startJob(scenes = faultSettings.scenes): Promise<StartedJob> {
    const api = this.api();
    const script = await api.uploadScript(screenplay(scenes), `Fault suite, seed ${faultSettings.seed}`);
    if (script.sceneCount !== scenes) throw new Error(`the screenplay parsed into ${script.sceneCount} scenes, not ${scenes}`);
    const requestedAt = Date.now();
    const { jobId } = await api.analyze(script.id, { mode: 'full' });
    return { jobId, scriptId: script.id, scenes, requestedAt };
  }

  /** Scenes of the job with an outcome so far; null while the database cannot answer. */
  async doneCount(jobId: string): Promise<number | null> {
    try {
      const [row] = await this.database.db.$queryRaw<Array<{ done: bigint }>>`
        SELECT count(*) FILTER (WHERE status IN ('succeeded', 'failed', 'cancelled', 'skipped')) AS done
          FROM scene_tasks WHERE job_id = ${jobId}::uuid`;
      return Number(row?.done ?? 0);
    } catch {
      return null;
    }
  }

  /** Resolves once `fraction` of the job's scenes have an outcome; returns how many have. */
  async waitForFraction(job: StartedJob, fraction: number, timeoutMs = 60_000): Promise<number> {
    const target = Math.ceil(job.scenes * fraction);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const done = await this.doneCount(job.jobId);
      if (done !== null && done >= target) return done;
      if (Date.now() > deadline) throw new Error(`only ${done} of ${job.scenes} scenes done after ${timeoutMs} ms (waiting for ${target})`);
      await sleep(20);
    }
  }

  async jobStatus(jobId: string): Promise<string | null> {
    try {
      const [row] = await this.database.db.$queryRaw<Array<{ status: string }>>`SELECT status::text FROM analysis_jobs WHERE id = ${jobId}::uuid`;
      return row?.status ?? null;
    } catch {
      return null;
    }
  }

  /**
   * Waits for the job to end (the suite's job timeout at most), then for its last tasks in
   * flight to settle, so the check sees the final state. Reads the database, not the API,
   * because some faults take the API's database away.
   */
  async waitForEnd(job: StartedJob, timeoutMs = faultSettings.jobTimeoutMs): Promise<JobEnd> {
    const deadline = job.requestedAt + timeoutMs;
    let status: string | null = null;
    while (Date.now() < deadline) {
      status = await this.jobStatus(job.jobId);
      if (status && terminalJob.includes(status)) break;
      await sleep(200);
    }
    const durationMs = Date.now() - job.requestedAt;
    const ended = status !== null && terminalJob.includes(status);
    // Scenes in flight when a job stops early still end; and a late Claude call would show now.
    for (let i = 0; ended && i < 50 && (await this.doneCount(job.jobId)) !== job.scenes; i++) await sleep(200);
    await sleep(1_500);
    return { ended, status: status ?? 'unknown', durationMs };
  }

  check(job: StartedJob): Promise<Outcomes> {
    return checkOutcomes(this.database.db, job.jobId, this.claude.stats());
  }

  /** Messages stored in one of the namespace's streams, and the dead letters' reasons. */
  async streamState(): Promise<{ deadLetters: string[]; pending: Partial<Record<StreamKey, number>> }> {
    const topology = namespaced(this.harness.namespace);
    const nc = await connect({ servers: this.natsUrl, timeout: 5_000 });
    try {
      const jsm = await jetstreamManager(nc);
      const pending: Partial<Record<StreamKey, number>> = {};
      for (const key of ['analysis', 'sceneTasks', 'sceneResults'] as const) {
        pending[key] = (await jsm.streams.info(topology.streamName(key)).catch(() => undefined))?.state.messages ?? 0;
      }
      const deadLetters: string[] = [];
      const info = await jsm.streams.info(topology.streamName('deadLetters')).catch(() => undefined);
      for (let seq = info?.state.first_seq ?? 1; info && seq <= info.state.last_seq && deadLetters.length < 50; seq++) {
        const m = await jsm.streams.getMessage(topology.streamName('deadLetters'), { seq }).catch(() => undefined);
        const letter = m?.json<{ subject: string; reason: string }>();
        if (letter) deadLetters.push(`${letter.subject.split('.').slice(1).join('.')}: ${letter.reason}`);
      }
      return { deadLetters, pending };
    } finally {
      await nc.close();
    }
  }

  /** The services' warnings and errors, for a failing scenario's report. */
  problemsLogged(limit = 40): string {
    return serviceProblems(this.pipeline, limit);
  }

  /** Every line each service process wrote, to <run directory>/logs/<scenario>/; returns the directory. */
  saveLogs(scenario: string): string {
    const dir = join(runDir(), 'logs', scenario);
    mkdirSync(dir, { recursive: true });
    this.processes.forEach((p, i) => writeFileSync(join(dir, `${i + 1}-${p.name}-${p.child.pid}.log`), `${p.output.join('\n')}\n`));
    return dir;
  }

  async tearDown(): Promise<void> {
    await this.pipeline.stop().catch(() => undefined);
    await this.claude.close();
    await this.database.drop().catch(() => undefined);
    if (this.nats) await this.nats.destroy();
    else await deleteNamespaceStreams(namespaced(this.harness.namespace), this.natsUrl).catch(() => undefined);
    if (this.postgres) await this.postgres.destroy();
  }
}
