import { buildSceneResult } from '@scenewise/contracts/testing';
import { createTestDatabase, type TestDatabase } from '@scenewise/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchWindow } from './dispatch-window';
import { foldJobCounts, recordSceneResults } from './job-store';
import { createRunningJob } from './testing';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

const runningJob = (scenes: number) => createRunningJob(database.db, scenes);

const usage = { inputTokens: 100, outputTokens: 20, cacheReadTokens: 5, cacheWriteTokens: 1 };

describe('recordSceneResults', () => {
  it('moves every task of a batch to its outcome in one statement, with what its calls used', async () => {
    const { job, tasks, scenes } = await runningJob(3);
    const summary = await database.db.sceneSummary.create({
      data: { sceneId: scenes[0]!.id, contentHash: 'h0', model: 'm-1', summary: 's', characters: [], mood: 'calm', keyEvents: [], inputTokens: 1, outputTokens: 1, latencyMs: 1 },
    });
    const finishedAt = '2026-11-29T12:00:00.123Z';
    const results = [
      buildSceneResult({ jobId: job.id, taskId: tasks[0]!.id, summaryId: summary.id, usage, costUsd: 0.25, finishedAt }),
      buildSceneResult({ jobId: job.id, taskId: tasks[1]!.id, outcome: 'failed', error: { type: 'overloaded', message: 'try later', jobFatal: false }, usage, finishedAt }),
      buildSceneResult({ jobId: job.id, taskId: tasks[2]!.id, outcome: 'cancelled', finishedAt }),
    ];
    await database.db.sceneTask.update({ where: { id: tasks[2]!.id }, data: { status: 'running', inputTokens: 7 } });

    expect(await recordSceneResults(database.db, results)).toEqual([true, true, true]);

    const stored = await database.db.sceneTask.findMany({ where: { jobId: job.id }, orderBy: { position: 'asc' } });
    expect(stored[0]).toMatchObject({ status: 'succeeded', summaryId: summary.id, inputTokens: 106, outputTokens: 20, costUsd: 0.25, errorType: null, finishedAt: new Date(finishedAt) });
    expect(stored[1]).toMatchObject({ status: 'failed', summaryId: null, errorType: 'overloaded', errorMessage: 'try later', inputTokens: 106, costUsd: 0 });
    // Without usage, what was stored stays.
    expect(stored[2]).toMatchObject({ status: 'cancelled', inputTokens: 7, outputTokens: 0 });
    expect(stored[0]!.updatedAt.getTime()).toBeGreaterThan(tasks[0]!.updatedAt.getTime());
  });

  it('moves nothing for a redelivered result, a task named twice or a task of another job', async () => {
    const { job, tasks } = await runningJob(2);
    const first = buildSceneResult({ jobId: job.id, taskId: tasks[0]!.id, usage, costUsd: 0.5 });
    expect(await recordSceneResults(database.db, [first])).toEqual([true]);

    const redelivered = { ...first, outcome: 'failed' as const, costUsd: 9 };
    const twice = buildSceneResult({ jobId: job.id, taskId: tasks[1]!.id });
    const elsewhere = buildSceneResult({ taskId: tasks[1]!.id });
    expect(await recordSceneResults(database.db, [redelivered, twice, elsewhere, twice])).toEqual([false, true, false, false]);

    const stored = await database.db.sceneTask.findMany({ where: { jobId: job.id }, orderBy: { position: 'asc' } });
    expect(stored.map((t) => t.status)).toEqual(['succeeded', 'succeeded']);
    expect(stored[0]!.costUsd).toBe(0.5);
    expect(await recordSceneResults(database.db, [])).toEqual([]);
  });
});

describe('foldJobCounts', () => {
  it('returns the job exactly as the database holds it, counts folded in, and ends it with its last task', async () => {
    const { job, tasks } = await runningJob(2);
    await recordSceneResults(database.db, [buildSceneResult({ jobId: job.id, taskId: tasks[0]!.id, usage, costUsd: 0.5 })]);

    const folded = await foldJobCounts(database.db, job.id, dispatchWindow(4));
    expect(folded.ended).toBe(false);
    expect(folded.job).toEqual(await database.db.analysisJob.findUniqueOrThrow({ where: { id: job.id } }));
    expect(folded.job).toMatchObject({ status: 'running', succeeded: 1, totalScenes: 2, inputTokens: 106, outputTokens: 20, costUsd: 0.5 });

    await recordSceneResults(database.db, [buildSceneResult({ jobId: job.id, taskId: tasks[1]!.id, outcome: 'failed' })]);
    const last = await foldJobCounts(database.db, job.id, dispatchWindow(4));
    expect(last.ended).toBe(true);
    expect(last.job).toEqual(await database.db.analysisJob.findUniqueOrThrow({ where: { id: job.id } }));
    expect(last.job).toMatchObject({ status: 'partially_failed', succeeded: 1, failed: 1 });
    expect(last.job.finishedAt).toBeInstanceOf(Date);

    // Folding an ended job again changes nothing and ends nothing.
    const again = await foldJobCounts(database.db, job.id, dispatchWindow(4));
    expect(again).toMatchObject({ ended: false, claimed: [] });
    expect(again.job).toMatchObject({ status: 'partially_failed', finishedAt: last.job.finishedAt });
  });
});
