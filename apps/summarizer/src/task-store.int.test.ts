import type { SceneTask } from '@scenewise/contracts';
import { createTestDatabase, type TestDatabase } from '@scenewise/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimTasks, storeSummaries, type SummaryToStore } from './task-store';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

const model = 'model-under-test';
const answer = (summary: string): SummaryToStore['result'] => ({
  output: { summary, characters: ['MARA'], mood: 'tense', keyEvents: ['keys dropped', 'a plan'] },
  usage: { inputTokens: 400, outputTokens: 120, cacheReadTokens: 0, cacheWriteTokens: 0 },
  latencyMs: 42,
});

/** One script of one scene and `jobs` jobs over it (the given statuses), a queued task each. */
async function tasksOverOneScene(statuses: Array<'running' | 'cancelled'>): Promise<SceneTask[]> {
  const db = database.db;
  const script = await db.script.create({
    data: { title: 't', format: 'plain', sceneCount: 1, scenes: { create: [{ position: 0, heading: 'INT. A', text: 'INT. A\n\nA beat.', characters: [], contentHash: 'h0' }] } },
    include: { scenes: true },
  });
  const scene = script.scenes[0]!;
  return Promise.all(
    statuses.map(async (status) => {
      const job = await db.analysisJob.create({ data: { scriptId: script.id, mode: 'full', status, modelRole: 'sceneSummary', model, resolvedModel: model, totalScenes: 1 } });
      const task = await db.sceneTask.create({ data: { jobId: job.id, sceneId: scene.id, position: 0, contentHash: 'h0' } });
      return { jobId: job.id, taskId: task.id, scriptId: script.id, sceneId: scene.id, position: 0, heading: scene.heading, text: scene.text, contentHash: 'h0', modelRole: 'sceneSummary', model };
    }),
  );
}

describe('task store, in batches', () => {
  it('claims many tasks in one statement, answering in order, null for a task whose job ended', async () => {
    const [a, cancelled, b] = await tasksOverOneScene(['running', 'cancelled', 'running']);
    const claims = await claimTasks(database.db, [a!.taskId, cancelled!.taskId, b!.taskId]);
    expect(claims).toEqual([{ storedSummary: null }, null, { storedSummary: null }]);
    const attempts = await database.db.sceneTask.findMany({ where: { id: { in: [a!.taskId, cancelled!.taskId] } }, select: { id: true, attempts: true } });
    expect(Object.fromEntries(attempts.map((t) => [t.id, t.attempts]))).toEqual({ [a!.taskId]: 1, [cancelled!.taskId]: 0 });
  });

  it('stores one summary for two tasks of one batch with the same text and model, and links both', async () => {
    const [first, second] = await tasksOverOneScene(['running', 'running']);
    const ids = await storeSummaries(database.db, [
      { task: first!, result: answer('First.'), costUsd: 0.001 },
      { task: second!, result: answer('Second.'), costUsd: null },
    ]);
    expect(ids[0]).toBe(ids[1]);
    const stored = await database.db.sceneSummary.findUniqueOrThrow({ where: { id: ids[0]! } });
    expect(stored).toMatchObject({ characters: ['MARA'], keyEvents: ['keys dropped', 'a plan'], latencyMs: 42, inputTokens: 400 });
    // The next claim of either task finds it: a redelivery reports it instead of calling again.
    expect(await claimTasks(database.db, [first!.taskId, second!.taskId])).toEqual([
      { storedSummary: { id: ids[0], latencyMs: 42 } },
      { storedSummary: { id: ids[0], latencyMs: 42 } },
    ]);
  });

  it('replaces an older answer for the same text and model', async () => {
    const [task] = await tasksOverOneScene(['running']);
    const [firstId] = await storeSummaries(database.db, [{ task: task!, result: answer('Old.'), costUsd: null }]);
    const [secondId] = await storeSummaries(database.db, [{ task: task!, result: answer('New.'), costUsd: null }]);
    expect(secondId).toBe(firstId);
    expect((await database.db.sceneSummary.findUniqueOrThrow({ where: { id: firstId! } })).summary).toBe('New.');
  });
});
