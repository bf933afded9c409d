import { Subject } from '@scenewise/contracts';
import { createTestDatabase, type TestDatabase } from '@scenewise/db/testing';
import type { MessageBus } from '@scenewise/messaging';
import { createTestBus } from '@scenewise/messaging/testing';
import { createLogger } from '@scenewise/telemetry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchWindow } from './dispatch-window';
import { JobFolder } from './job-folder';
import { reconcileOnce, type ReconcilerSettings } from './reconciler';
import { foldAndDispatch } from './task-dispatch';

let database: TestDatabase;
let bus: MessageBus;
let closeBus: () => Promise<void>;
const logger = createLogger({ service: 'test', level: 'silent' });
const settings: ReconcilerSettings = { taskStallMs: 60_000, maxResends: 2, jobDeadlineMs: 3_600_000, queuedJobStallMs: 60_000 };
const longAgo = () => new Date(Date.now() - 10 * 60_000);

let deps: Parameters<typeof reconcileOnce>[0];

beforeAll(async () => {
  database = await createTestDatabase();
  ({ bus, close: closeBus } = await createTestBus());
  const folder = new JobFolder(foldAndDispatch({ db: database.db, bus, logger }, dispatchWindow(4)), async () => undefined, logger);
  deps = { db: database.db, bus, folder, logger };
});
afterAll(async () => {
  await closeBus?.();
  await database?.drop();
});

/** A running job over a two-scene script: one task done, one as given (published unless said otherwise). */
async function runningJob(
  task: { status: 'queued' | 'running'; resends?: number; updatedAt?: Date; dispatched?: boolean },
  startedAt = new Date(),
) {
  const db = database.db;
  const script = await db.script.create({
    data: {
      title: 't',
      format: 'fountain',
      sceneCount: 2,
      scenes: {
        create: [0, 1].map((position) => ({ position, heading: `INT. ROOM ${position}`, text: `INT. ROOM ${position}\n\nA beat.`, characters: [], contentHash: `h${position}` })),
      },
    },
    include: { scenes: { orderBy: { position: 'asc' } } },
  });
  const job = await db.analysisJob.create({
    data: { scriptId: script.id, mode: 'full', status: 'running', modelRole: 'sceneSummary', model: 'm', resolvedModel: 'm-1', totalScenes: 2, startedAt },
  });
  await db.sceneTask.create({ data: { jobId: job.id, sceneId: script.scenes[0]!.id, position: 0, contentHash: 'h0', status: 'succeeded', finishedAt: new Date() } });
  const stuck = await db.sceneTask.create({
    data: {
      jobId: job.id,
      sceneId: script.scenes[1]!.id,
      position: 1,
      contentHash: 'h1',
      status: task.status,
      resends: task.resends ?? 0,
      dispatchedAt: task.dispatched === false ? null : new Date(),
    },
  });
  if (task.updatedAt) {
    await db.$executeRaw`UPDATE scene_tasks SET updated_at = ${task.updatedAt} WHERE id = ${stuck.id}::uuid`;
  }
  return { job, stuck };
}

async function nextTaskMessage() {
  const consumer = await bus.js.consumers.get(bus.topology.streamName('sceneTasks'), 'summarizer');
  const m = await consumer.next({ expires: 2_000 });
  m?.ack();
  return m ? { subject: m.subject, body: m.json<{ taskId: string; model: string }>() } : undefined;
}

describe('reconcileOnce', () => {
  it('re-sends a task that has shown no sign of life, once per stall', async () => {
    const { stuck } = await runningJob({ status: 'running', updatedAt: longAgo() });
    const report = await reconcileOnce(deps, settings);
    expect(report.resentTasks).toBe(1);
    const message = await nextTaskMessage();
    expect(message?.subject).toBe(bus.topology.subject(Subject.sceneSummarize));
    expect(message?.body).toMatchObject({ taskId: stuck.id, model: 'm-1' });
    const task = await database.db.sceneTask.findUniqueOrThrow({ where: { id: stuck.id } });
    expect(task.resends).toBe(1);
    // Just re-sent: not stalled again yet.
    expect((await reconcileOnce(deps, settings)).resentTasks).toBe(0);
  });

  it('fails a task that stalls after its last re-send, and ends the job with that reason', async () => {
    const { job, stuck } = await runningJob({ status: 'queued', resends: 2, updatedAt: longAgo() });
    const report = await reconcileOnce(deps, settings);
    expect(report.failedTasks).toBe(1);
    const task = await database.db.sceneTask.findUniqueOrThrow({ where: { id: stuck.id } });
    expect(task).toMatchObject({ status: 'failed', errorType: 'stalled' });
    expect(task.errorMessage).toMatch(/no worker finished this scene after 2 re-sends/);
    const ended = await database.db.analysisJob.findUniqueOrThrow({ where: { id: job.id } });
    expect(ended).toMatchObject({ status: 'partially_failed', succeeded: 1, failed: 1 });
  });

  it('ends a job past its deadline, failing what was still running', async () => {
    const { job, stuck } = await runningJob({ status: 'running' }, new Date(Date.now() - 2 * 3_600_000));
    const report = await reconcileOnce(deps, settings);
    expect(report.expiredJobs).toBe(1);
    const ended = await database.db.analysisJob.findUniqueOrThrow({ where: { id: job.id } });
    expect(ended).toMatchObject({ status: 'failed', errorType: 'deadline_exceeded', succeeded: 1, failed: 1 });
    expect(ended.errorMessage).toBe('the job did not finish within its deadline of 60 min');
    expect((await database.db.sceneTask.findUniqueOrThrow({ where: { id: stuck.id } })).errorType).toBe('deadline_exceeded');
  });

  it('does not take a task waiting for room in its dispatch window for a stalled one', async () => {
    const { stuck } = await runningJob({ status: 'queued', dispatched: false, updatedAt: longAgo() });
    const report = await reconcileOnce(deps, settings);
    expect(report).toMatchObject({ resentTasks: 0, failedTasks: 0 });
    expect(await database.db.sceneTask.findUniqueOrThrow({ where: { id: stuck.id } })).toMatchObject({ status: 'queued', resends: 0, dispatchedAt: null });
  });

  it('publishes the next window of a job that has nothing in flight (its top-up was lost)', async () => {
    const { job, stuck } = await runningJob({ status: 'queued', dispatched: false });
    await database.db.$executeRaw`UPDATE analysis_jobs SET updated_at = ${longAgo()} WHERE id = ${job.id}::uuid`;
    await reconcileOnce(deps, settings);
    expect((await database.db.sceneTask.findUniqueOrThrow({ where: { id: stuck.id } })).dispatchedAt).not.toBeNull();
    expect((await nextTaskMessage())?.body).toMatchObject({ taskId: stuck.id });
  });

  it('leaves healthy work alone', async () => {
    await runningJob({ status: 'running' });
    expect(await reconcileOnce(deps, settings)).toEqual({ resentTasks: 0, failedTasks: 0, expiredJobs: 0, resentJobs: 0 });
  });
});
