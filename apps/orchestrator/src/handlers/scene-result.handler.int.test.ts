import { type SceneResult, Subject } from '@scenewise/contracts';
import { buildSceneResult } from '@scenewise/contracts/testing';
import { WriteBatcher } from '@scenewise/db';
import { createTestDatabase, type TestDatabase } from '@scenewise/db/testing';
import type { MessageBus } from '@scenewise/messaging';
import { createTestBus } from '@scenewise/messaging/testing';
import { createLogger } from '@scenewise/telemetry';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JobFolder, type SceneOutcome } from '../job-folder';
import { foldJobCounts, recordSceneResults } from '../job-store';
import { createRunningJob } from '../testing';
import { createSceneResultHandler } from './scene-result.handler';

let database: TestDatabase;
let bus: MessageBus;
let closeBus: () => Promise<void>;
const logger = createLogger({ service: 'test', level: 'silent' });

beforeEach(async () => {
  database = await createTestDatabase();
  ({ bus, close: closeBus } = await createTestBus());
});
afterEach(async () => {
  await closeBus?.();
  await database?.drop();
});

async function until<T>(read: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const runningJob = (scenes: number) => createRunningJob(database.db, scenes);

/** The orchestrator's result path on a real bus and database, with a batch write that can be made to fail. */
async function resultPath(options: { failWrites: number }) {
  const writes: number[] = [];
  let failuresLeft = options.failWrites;
  const batcher = new WriteBatcher(
    async (results: SceneResult[]) => {
      writes.push(results.length);
      if (failuresLeft-- > 0) throw new Error('database away');
      return recordSceneResults(database.db, results);
    },
    { maxItems: 3, maxDelayMs: 200 },
  );
  const announced: SceneOutcome[] = [];
  const folder = new JobFolder((jobId) => foldJobCounts(database.db, jobId), async (_job, _ended, scenes) => void announced.push(...scenes), logger);
  const consumer = await bus.consume(
    'orchestratorResults',
    { [Subject.sceneResult]: createSceneResultHandler({ db: database.db, folder, logger, record: (r) => batcher.add(r) }) },
    { concurrency: 3 },
  );
  return {
    writes,
    announced,
    stop: async () => {
      await consumer.stop();
      await folder.idle();
    },
  };
}

describe('scene results, written in batches', () => {
  it('sends every result of a batch whose write failed back, and records each once when it returns', async () => {
    const { job, tasks } = await runningJob(3);
    const path = await resultPath({ failWrites: 1 });
    const results = tasks.map((t) => buildSceneResult({ jobId: job.id, taskId: t.id, sceneId: t.sceneId, position: t.position }));
    await Promise.all(results.map((r) => bus.publish(Subject.sceneResult, r, { msgId: r.taskId })));

    // A failed message comes back after the bus's backoff (1 s), or, should its nak be lost on a
    // busy machine, after the consumer's ack_wait (30 s): either keeps the promise.
    const ended = await until(async () => {
      const stored = await database.db.analysisJob.findUniqueOrThrow({ where: { id: job.id } });
      return stored.status === 'running' ? undefined : stored;
    }, 40_000);
    await path.stop();

    expect(ended).toMatchObject({ status: 'succeeded', succeeded: 3 });
    // The first batch held all three and failed; they came back and were written again.
    expect(path.writes[0]).toBe(3);
    expect(path.writes.slice(1).reduce((a, b) => a + b, 0)).toBe(3);
    expect(path.announced.map((s) => s.position).sort()).toEqual([0, 1, 2]);
  }, 60_000);

  it('announces a result delivered again nothing new and leaves its task as recorded', async () => {
    const { job, tasks } = await runningJob(2);
    const path = await resultPath({ failWrites: 0 });
    const first = buildSceneResult({ jobId: job.id, taskId: tasks[0]!.id, sceneId: tasks[0]!.sceneId, position: 0, costUsd: 0.5, usage: { inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0 } });
    await bus.publish(Subject.sceneResult, first, { msgId: 'first' });
    await until(async () => (path.announced.length === 1 ? true : undefined));

    await bus.publish(Subject.sceneResult, { ...first, outcome: 'failed', costUsd: 3 }, { msgId: 'again' });
    await until(async () => (path.writes.length === 2 ? true : undefined));
    await path.stop();

    expect(path.announced).toHaveLength(1);
    const task = await database.db.sceneTask.findUniqueOrThrow({ where: { id: tasks[0]!.id } });
    expect(task).toMatchObject({ status: 'succeeded', costUsd: 0.5 });
    expect(await database.db.analysisJob.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ status: 'running', succeeded: 1 });
  });
});
