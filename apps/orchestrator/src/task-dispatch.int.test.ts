import { jetstreamManager } from '@nats-io/jetstream';
import { namespaced } from '@scenewise/contracts';
import { createPrismaClient } from '@scenewise/db';
import { createTestDatabase, type TestDatabase } from '@scenewise/db/testing';
import { MessageBus } from '@scenewise/messaging';
import { createTestBus, randomNamespace } from '@scenewise/messaging/testing';
import { createLogger } from '@scenewise/telemetry';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatchWindow } from './dispatch-window';
import { createAnalysisCancelHandler } from './handlers/analysis-cancel.handler';
import { JobFolder } from './job-folder';
import { foldJobCounts } from './job-store';
import { foldAndDispatch, republishWaitingTasks } from './task-dispatch';
import { createRunningJob } from './testing';

let database: TestDatabase;
const logger = createLogger({ service: 'test', level: 'silent' });
const closers: Array<() => Promise<void>> = [];

// A database per test: start-up's republish looks at every running job.
beforeEach(async () => {
  database = await createTestDatabase();
});
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  await database?.drop();
});

async function freshBus() {
  const { bus, close } = await createTestBus();
  closers.push(close);
  const jsm = await jetstreamManager(bus.nc);
  const stream = bus.topology.streamName('sceneTasks');
  return {
    bus,
    /** Scene-task messages stored in the work queue (none is consumed in these tests). */
    published: async () => (await jsm.streams.info(stream)).state.messages,
    /** The task ids of the stored messages, in stream order. */
    publishedTaskIds: async () => {
      const info = await jsm.streams.info(stream);
      const ids: string[] = [];
      for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
        const m = await jsm.streams.getMessage(stream, { seq });
        if (m) ids.push(m.json<{ taskId: string }>().taskId);
      }
      return ids;
    },
  };
}

/** A running job over `scenes` scenes, every task queued and not yet dispatched. */
const runningJob = (scenes: number) => createRunningJob(database.db, scenes, { dispatched: false });

const dispatchedPositions = async (jobId: string) =>
  (await database.db.sceneTask.findMany({ where: { jobId, dispatchedAt: { not: null } }, orderBy: { position: 'asc' } })).map((t) => t.position);

/** What a summarizer does: take the task (status running), and optionally finish it. */
async function summarize(taskIds: string[], finish: boolean) {
  await database.db.sceneTask.updateMany({
    where: { id: { in: taskIds } },
    data: finish ? { status: 'succeeded', finishedAt: new Date() } : { status: 'running', startedAt: new Date() },
  });
}

describe('the dispatch window', () => {
  it("publishes a job's first window of tasks, first scenes first, with the task id as message id", async () => {
    const { bus, publishedTaskIds } = await freshBus();
    const { job, tasks } = await runningJob(10);
    const fold = foldAndDispatch({ db: database.db, bus, logger }, dispatchWindow(4));

    const folded = await fold(job.id);

    expect(folded.claimed.map((t) => t.position)).toEqual([0, 1, 2, 3]);
    expect(await publishedTaskIds()).toEqual(tasks.slice(0, 4).map((t) => t.id));
    expect(await dispatchedPositions(job.id)).toEqual([0, 1, 2, 3]);
    // The window is full: folding again publishes nothing.
    expect((await fold(job.id)).claimed).toEqual([]);
  });

  it('tops the window up as summarizers take its tasks, and ends the job once the last is done', async () => {
    const { bus, published } = await freshBus();
    const { job, tasks } = await runningJob(10);
    const fold = foldAndDispatch({ db: database.db, bus, logger }, dispatchWindow(4));
    await fold(job.id);

    // Two taken, one of them finished: two of the window's places are free (a batch is 1).
    await summarize([tasks[0]!.id, tasks[1]!.id], false);
    await summarize([tasks[0]!.id], true);
    expect((await fold(job.id)).claimed.map((t) => t.position)).toEqual([4, 5]);
    expect(await published()).toBe(6);

    for (let round = 0; round < 5; round++) {
      const open = await database.db.sceneTask.findMany({ where: { jobId: job.id, status: { in: ['queued', 'running'] }, dispatchedAt: { not: null } } });
      await summarize(open.map((t) => t.id), true);
      await fold(job.id);
    }
    const ended = await database.db.analysisJob.findUniqueOrThrow({ where: { id: job.id } });
    expect(ended).toMatchObject({ status: 'succeeded', succeeded: 10 });
    expect(await published()).toBe(10);
  });

  it('keeps a job with tasks held back on the refill list until its window has taken them all', async () => {
    const { bus } = await freshBus();
    const { job, tasks } = await runningJob(6);
    const undispatched = new Set<string>();
    const fold = foldAndDispatch({ db: database.db, bus, logger }, dispatchWindow(4), undispatched);

    expect((await fold(job.id)).undispatched).toBe(2);
    expect([...undispatched]).toEqual([job.id]);
    // Summarizers take the window's tasks (no result yet): the refill tick's fold tops it up.
    await summarize(tasks.slice(0, 4).map((t) => t.id), false);
    expect((await fold(job.id)).claimed.map((t) => t.position)).toEqual([4, 5]);
    expect(undispatched.size).toBe(0);
  });

  it('waits for a batch of free places before it tops up', async () => {
    const { bus } = await freshBus();
    const { job, tasks } = await runningJob(40);
    const fold = foldAndDispatch({ db: database.db, bus, logger }, dispatchWindow(16)); // batch 4
    await fold(job.id);
    await summarize(tasks.slice(0, 3).map((t) => t.id), false);
    expect((await fold(job.id)).claimed).toEqual([]);
    await summarize([tasks[3]!.id], false);
    expect((await fold(job.id)).claimed).toHaveLength(4);
  });

  it('never overfills a window when several instances fold the same job at once', async () => {
    const { bus, published } = await freshBus();
    const { job } = await runningJob(200);
    const window = dispatchWindow(20);
    // Each instance with its own connection pool, as separate processes would have.
    const others = [createPrismaClient(database.url), createPrismaClient(database.url), createPrismaClient(database.url)];
    closers.push(async () => void (await Promise.all(others.map((db) => db.$disconnect()))));
    const folds = [database.db, ...others].map((db) => foldAndDispatch({ db, bus, logger }, window));

    const claimed = await Promise.all(folds.flatMap((fold) => [fold(job.id), fold(job.id)]));

    expect(claimed.reduce((sum, f) => sum + f.claimed.length, 0)).toBe(20);
    expect(await dispatchedPositions(job.id)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(await published()).toBe(20);
  });

  it("never publishes a cancelled job's undispatched tasks", async () => {
    const { bus, published } = await freshBus();
    const { job } = await runningJob(10);
    const folder = new JobFolder(foldAndDispatch({ db: database.db, bus, logger }, dispatchWindow(4)), async () => undefined, logger);
    await folder.request(job.id);

    await createAnalysisCancelHandler({ db: database.db, folder, logger })({ jobId: job.id, reason: 'changed my mind' });
    await folder.request(job.id);

    expect(await published()).toBe(4);
    const cancelled = await database.db.sceneTask.findMany({ where: { jobId: job.id, status: 'cancelled' } });
    expect(cancelled).toHaveLength(10);
    expect(cancelled.filter((t) => t.dispatchedAt === null)).toHaveLength(6);
  });

  it('hands tasks it could not publish back, for the next fold', async () => {
    const { job } = await runningJob(6);
    const { bus: working, published } = await freshBus();
    // A bus whose work queue does not exist: every publish fails.
    const broken = new MessageBus(working.nc, namespaced(randomNamespace()), logger);
    const window = dispatchWindow(4);

    await expect(foldAndDispatch({ db: database.db, bus: broken, logger }, window)(job.id)).rejects.toThrow(/4 of 4 scene tasks .* could not be published/);
    expect(await dispatchedPositions(job.id)).toEqual([]);

    await foldAndDispatch({ db: database.db, bus: working, logger }, window)(job.id);
    expect(await dispatchedPositions(job.id)).toEqual([0, 1, 2, 3]);
    expect(await published()).toBe(4);
  });

  it('publishes again, after a crash, tasks claimed but maybe never published; the work queue drops the copies', async () => {
    const { bus, published, publishedTaskIds } = await freshBus();
    const { job: crashed, tasks } = await runningJob(6);
    const { job: healthy } = await runningJob(3);
    const deps = { db: database.db, bus, logger };
    // Killed between claiming and publishing: claimed, never sent.
    await foldJobCounts(database.db, crashed.id, dispatchWindow(4));
    await foldAndDispatch(deps, dispatchWindow(4))(healthy.id);
    expect(await published()).toBe(3);

    expect(await republishWaitingTasks(deps)).toBe(7);
    expect(await published()).toBe(7);
    expect((await publishedTaskIds()).slice(3)).toEqual(tasks.slice(0, 4).map((t) => t.id));

    // Again: every copy is dropped, none is delivered twice.
    expect(await republishWaitingTasks(deps, crashed.id)).toBe(4);
    expect(await published()).toBe(7);
  });
});
