import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type AnalysisRequested, Subject } from '@scenewise/contracts';
import type { AnalysisJob } from '@scenewise/db';
import { createTestDatabase, type TestDatabase } from '@scenewise/db/testing';
import type { MessageBus, RunningConsumer } from '@scenewise/messaging';
import { createTestBus } from '@scenewise/messaging/testing';
import { createLogger } from '@scenewise/telemetry';
import { build } from 'esbuild';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The CLI never imports an app; its test runs against the real API in-process.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { createApp } from '../../../apps/api/src/app';
import { runCli } from './cli';

const workspaceRoot = join(__dirname, '..', '..', '..');
const screenplay = (failing = false) => `Title: Two Rooms

INT. KITCHEN - NIGHT

MARA waits by the window.

EXT. STREET - CONTINUOUS

JOE runs through the rain.${failing ? ' (FAILS)' : ''}

INT. KITCHEN - LATER

They share the bread.
`;

let database: TestDatabase;
let bus: MessageBus;
let closeBus: () => Promise<void>;
let orchestrator: RunningConsumer;
let dir: string;
const servers: Server[] = [];
const authorizations: Array<string | undefined> = [];
let apiUrl: string;
/** The same API without the event stream, as an older server would be. */
let apiWithoutEventsUrl: string;
let healthUrl: string;
let healthReport: object;

async function listen(app: express.Express): Promise<string> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Stands in for the orchestrator and summarizers: one scene every 50 ms, progress on NATS as the real one publishes it. */
async function runJob({ jobId, scriptId }: AnalysisRequested): Promise<void> {
  const { db } = database;
  const scenes = await db.scene.findMany({ where: { scriptId }, orderBy: { position: 'asc' } });
  const tasks = await Promise.all(
    scenes.map((scene) => db.sceneTask.create({ data: { jobId, sceneId: scene.id, position: scene.position, contentHash: scene.contentHash } })),
  );
  let job = await db.analysisJob.update({
    where: { id: jobId },
    data: { status: 'running', startedAt: new Date(), totalScenes: scenes.length, model: 'test-model', resolvedModel: 'test-model' },
  });
  const publish = (j: AnalysisJob, scene?: { taskId: string; sceneId: string; position: number; outcome: 'succeeded' | 'failed'; errorType?: string }) =>
    bus.publish(Subject.jobProgress, {
      jobId,
      status: j.status,
      total: j.totalScenes,
      succeeded: j.succeeded,
      failed: j.failed,
      cancelled: 0,
      skipped: 0,
      etaSeconds: null,
      at: new Date().toISOString(),
      ...(scene ? { scene } : {}),
    });
  await publish(job);
  for (const [i, scene] of scenes.entries()) {
    await sleep(50);
    const task = tasks[i]!;
    const fails = scene.text.includes('FAILS');
    if (fails) {
      await db.sceneTask.update({ where: { id: task.id }, data: { status: 'failed', attempts: 3, errorType: 'overloaded_error', errorMessage: 'Overloaded' } });
    } else {
      const key = { sceneId: scene.id, contentHash: scene.contentHash, model: 'test-model' };
      const summary = await db.sceneSummary.upsert({
        where: { sceneId_contentHash_model: key },
        update: {},
        create: { ...key, summary: `Summary of ${scene.heading}.`, characters: [], mood: 'calm', keyEvents: [], inputTokens: 100, outputTokens: 20, latencyMs: 5, jobId },
      });
      await db.sceneTask.update({ where: { id: task.id }, data: { status: 'succeeded', attempts: 1, summaryId: summary.id } });
    }
    const last = i === scenes.length - 1;
    job = await db.analysisJob.update({
      where: { id: jobId },
      data: {
        ...(fails ? { failed: { increment: 1 } } : { succeeded: { increment: 1 }, inputTokens: { increment: 100 }, outputTokens: { increment: 20 } }),
        ...(last ? { finishedAt: new Date() } : {}),
      },
    });
    if (last) {
      const status = job.failed ? (job.succeeded ? 'partially_failed' : 'failed') : 'succeeded';
      job = await db.analysisJob.update({ where: { id: jobId }, data: { status } });
    }
    await publish(job, { taskId: task.id, sceneId: scene.id, position: scene.position, outcome: fails ? 'failed' : 'succeeded', ...(fails ? { errorType: 'overloaded_error' } : {}) });
  }
}

beforeAll(async () => {
  database = await createTestDatabase();
  ({ bus, close: closeBus } = await createTestBus());
  orchestrator = await bus.consume('orchestratorRequests', { 'analysis.requested': runJob, 'analysis.cancel': async () => undefined });
  const api = createApp({
    db: database.db,
    bus,
    logger: createLogger({ service: 'cli-test', level: 'silent' }),
    config: { limits: { maxUploadBytes: 64 * 1024, maxScenes: 50, maxSceneChars: 5_000 }, jaegerUiUrl: 'http://jaeger.test' },
    ready: () => true,
  });
  const recorded = express();
  recorded.use((req, _res, next) => {
    authorizations.push(req.headers.authorization);
    next();
  });
  recorded.use(api);
  apiUrl = await listen(recorded);
  const old = express();
  old.get('/api/jobs/:id/events', (_req, res) => void res.status(404).json({ error: { type: 'not_found', message: 'no route' } }));
  old.use(api);
  apiWithoutEventsUrl = await listen(old);
  const health = express();
  health.get('/health', (_req, res) => void res.status(503).json(healthReport));
  healthUrl = await listen(health);
  dir = mkdtempSync(join(tmpdir(), 'scenewise-cli-'));
  writeFileSync(join(dir, 'two-rooms.fountain'), screenplay());
  writeFileSync(join(dir, 'failing.fountain'), screenplay(true));
});

afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    server.close();
  }
  await orchestrator?.stop(1_000);
  await closeBus?.();
  await database?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function cli(line: string[], env: Record<string, string> = {}) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await runCli(line, {
    env: { SCENEWISE_API_URL: apiUrl, ...env },
    stdout: { write: (s: string) => stdout.push(s) },
    stderr: { write: (s: string) => stderr.push(s) },
    readFile: (path) => import('node:fs/promises').then((fs) => fs.readFile(path)),
    version: 'test',
    pollIntervalMs: 50,
  });
  return { code, stdout: stdout.join(''), stderr: stderr.join('') };
}

const file = (name: string) => join(dir, name);

describe('scenewise run', () => {
  it('uploads, analyzes, follows and prints every summary; exit 0 when the job succeeded', async () => {
    authorizations.length = 0;
    const { code, stdout, stderr } = await cli(['run', file('two-rooms.fountain'), '--api-key', 'secret-key']);
    expect(stderr).toMatch(/^Uploaded "Two Rooms": 3 scenes \(fountain\)/);
    expect(stderr).toContain('3/3 done · 0 failed');
    expect(stdout).toContain('  1. INT. KITCHEN - NIGHT\n     Summary of INT. KITCHEN - NIGHT.');
    expect(stdout).toMatch(/✔ Job \S+ succeeded: 3 of 3 scenes summarized/);
    expect(code).toBe(0);
    expect(authorizations.length).toBeGreaterThan(3);
    expect(new Set(authorizations)).toEqual(new Set(['Bearer secret-key']));
  });

  it('exits 1 when a scene failed, and --json gives the script, the job and the scenes', async () => {
    const { code, stdout, stderr } = await cli(['run', file('failing.fountain'), '--json']);
    expect(stderr).toBe('');
    const result = JSON.parse(stdout);
    expect(result.script).toMatchObject({ title: 'Two Rooms', sceneCount: 3 });
    expect(result.job).toMatchObject({ status: 'partially_failed', counts: { succeeded: 2, failed: 1 } });
    expect(result.scenes.map((s: { summary: unknown }) => s.summary !== null)).toEqual([true, false, true]);
    expect(code).toBe(1);
  });
});

describe('scenewise upload, analyze, follow, job, scenes', () => {
  it('follows live: failed scenes are named as they happen, from the event stream', async () => {
    const upload = await cli(['upload', file('failing.fountain'), '--title', 'Failing', '--json']);
    const script = JSON.parse(upload.stdout);
    expect(script).toMatchObject({ title: 'Failing', sceneCount: 3 });
    const { code, stdout, stderr } = await cli(['analyze', script.id, '--follow']);
    expect(stderr).toContain('✖ scene 2 failed: overloaded_error');
    expect(stderr).not.toContain('polling');
    expect(stdout).toMatch(/^! Job \S+ partially_failed: 2 summarized, 1 failed, 0 cancelled, 0 skipped of 3/);
    expect(stdout).toContain('1 × overloaded_error: Overloaded');
    expect(code).toBe(1);
  });

  it('polls when asked to, and when the API has no event stream', async () => {
    const script = JSON.parse((await cli(['upload', file('two-rooms.fountain'), '--json'])).stdout);
    const polled = await cli(['analyze', script.id, '--follow', '--poll']);
    expect(polled.stdout).toMatch(/succeeded/);
    expect(polled.code).toBe(0);

    const queued = JSON.parse((await cli(['analyze', script.id, '--partial', '--force', '--json'])).stdout);
    expect(queued).toMatchObject({ status: 'queued', links: { self: `/api/jobs/${queued.jobId}` } });
    const fallback = await cli(['follow', queued.jobId], { SCENEWISE_API_URL: apiWithoutEventsUrl });
    expect(fallback.stderr).toContain('live events unavailable (HTTP 404); polling instead');
    expect(fallback.stdout).toMatch(/✔ Job \S+ succeeded/);
    expect(fallback.code).toBe(0);
  });

  it('shows a job and a script’s scenes, human and --json, with the job’s exit status', async () => {
    const run = JSON.parse((await cli(['run', file('failing.fountain'), '--json'])).stdout);
    const human = await cli(['job', run.job.id]);
    expect(human.stdout).toContain('   2. ✖ failed    EXT. STREET - CONTINUOUS overloaded_error: Overloaded');
    expect(human.code).toBe(1);
    const json = await cli(['job', run.job.id, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ id: run.job.id, status: 'partially_failed' });

    const scenes = await cli(['scenes', run.script.id]);
    expect(scenes.stdout).toContain('  2. EXT. STREET - CONTINUOUS\n     (no summary)');
    expect(scenes.code).toBe(0);
    expect(JSON.parse((await cli(['scenes', run.script.id, '--json'])).stdout).scenes).toHaveLength(3);
  });

  it('revises a script: unchanged scenes keep their summaries, and it says what changed', async () => {
    const run = JSON.parse((await cli(['run', file('two-rooms.fountain'), '--json'])).stdout);
    writeFileSync(file('two-rooms-2.fountain'), screenplay().replace('They share the bread.', 'They share the last of the bread.'));
    const { code, stdout } = await cli(['revise', run.script.id, file('two-rooms-2.fountain')]);
    expect(stdout).toBe(
      `Revised "Two Rooms": 3 scenes (fountain) · script ${run.script.id}\n2 unchanged (their summaries kept) · 1 edited · 0 added · 0 removed\n` +
        `next: scenewise analyze ${run.script.id} --partial --follow\n`,
    );
    expect(code).toBe(0);
    const scenes = JSON.parse((await cli(['scenes', run.script.id, '--json'])).stdout).scenes;
    expect(scenes.map((s: { summary: unknown }) => s.summary !== null)).toEqual([true, true, false]);
    const again = JSON.parse((await cli(['revise', run.script.id, file('two-rooms-2.fountain'), '--title', 'Two Rooms, Draft 2', '--json'])).stdout);
    expect(again).toMatchObject({ title: 'Two Rooms, Draft 2', revision: { unchanged: 3, edited: 0, added: 0, removed: 0 } });
    expect(await cli(['revise', '00000000-0000-4000-8000-000000000000', file('two-rooms-2.fountain')])).toMatchObject({
      code: 1,
      stderr: 'scenewise: no script with id "00000000-0000-4000-8000-000000000000"\n',
    });
  });

  it('exits 1 with the API’s message for an unknown job, an unreadable file or an unreachable API', async () => {
    const unknown = await cli(['follow', '00000000-0000-4000-8000-000000000000']);
    expect(unknown).toMatchObject({ code: 1, stderr: 'scenewise: no job with id "00000000-0000-4000-8000-000000000000"\n' });
    const json = await cli(['job', 'nope', '--json']);
    expect(JSON.parse(json.stdout)).toEqual({ error: { type: 'not_found', message: 'no job with id "nope"', status: 404 } });
    expect(await cli(['upload', file('missing.fountain')])).toMatchObject({ code: 1, stderr: expect.stringContaining('ENOENT') });
    expect(await cli(['job', 'x'], { SCENEWISE_API_URL: 'http://127.0.0.1:9' })).toMatchObject({ code: 1, stderr: expect.stringContaining('could not reach') });
  });

  it('gives up after --timeout on a job that does not end', async () => {
    const script = await database.db.script.create({ data: { title: 'Stuck', format: 'plain', sceneCount: 0 } });
    const job = await database.db.analysisJob.create({ data: { scriptId: script.id, mode: 'full', modelRole: 'sceneSummary', status: 'running' } });
    const started = Date.now();
    const result = await cli(['follow', job.id, '--timeout', '0.5']);
    expect(result).toMatchObject({ code: 1, stderr: expect.stringContaining(`job ${job.id} had not ended after 0.5s`) });
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('scenewise models', () => {
  it("prints each role's model status and exits 1 when one is unavailable", async () => {
    healthReport = {
      status: 'degraded',
      problems: ['old-model was retired', 'no live summarizer instance'],
      models: [
        { role: 'sceneSummary', model: 'test-model', status: 'ok', resolvedId: 'test-model' },
        { role: 'fallback', model: 'old-model', status: 'unavailable', reason: 'retired', message: 'old-model was retired' },
      ],
    };
    const result = await cli(['models', '--health-url', healthUrl]);
    expect(result.stdout).toBe('sceneSummary  test-model  ✔ ok\nfallback      old-model  ✖ unavailable: old-model was retired\n');
    expect(result.stderr).toBe('the pipeline is degraded: no live summarizer instance\n');
    expect(result.code).toBe(1);
    healthReport = { status: 'ok', problems: [], models: [{ role: 'sceneSummary', model: 'test-model', status: 'ok', resolvedId: 'test-model' }] };
    const ok = await cli(['models', '--json'], { SCENEWISE_HEALTH_URL: healthUrl });
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true, models: [{ role: 'sceneSummary', status: 'ok' }] });
    expect(ok.code).toBe(0);
  });
});

describe('the built bin', () => {
  it('runs under node with its shebang, and exits with the job’s status', async () => {
    const outfile = join(dir, 'bin', 'main.js');
    await build({
      entryPoints: [join(workspaceRoot, 'tools/cli/src/main.ts')],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      packages: 'external',
      tsconfig: join(workspaceRoot, 'tsconfig.base.json'),
      banner: { js: '#!/usr/bin/env node' },
      outfile,
      logLevel: 'silent',
    });
    expect(readFileSync(outfile, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    const run = JSON.parse((await cli(['run', file('failing.fountain'), '--json'])).stdout);
    const exec = promisify(execFile);
    const env = { PATH: process.env['PATH'], SCENEWISE_API_URL: apiUrl };
    const failure = await exec(process.execPath, [outfile, 'job', run.job.id, '--json'], { env }).catch((err) => err);
    expect(failure.code).toBe(1);
    expect(JSON.parse(failure.stdout)).toMatchObject({ status: 'partially_failed' });
    const usage = await exec(process.execPath, [outfile, 'job'], { env }).catch((err) => err);
    expect(usage.code).toBe(2);
    const version = await exec(process.execPath, [outfile, '--version'], { env });
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
