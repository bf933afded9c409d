import { jetstreamManager } from '@nats-io/jetstream';
import { type AnthropicLocal, startAnthropicLocal } from '@scenewise/anthropic-local';
import { MessageSchema, type SceneTask, Subject } from '@scenewise/contracts';
import { createTestDatabase, type TestDatabase } from '@scenewise/db/testing';
import type { MessageContext } from '@scenewise/messaging';
import { createTestBus } from '@scenewise/messaging/testing';
import { createAnthropicClient, defaultModelForRole } from '@scenewise/model-config';
import { createLogger } from '@scenewise/telemetry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneTaskHandler } from './scene-task.handler';

/**
 * The handler against real parts: PostgreSQL, NATS and the local Anthropic server. What it
 * must get right is what a redelivery does: a task whose summary is already stored is
 * reported, not summarized again, whatever delivery count NATS gives it.
 */

const logger = createLogger({ service: 'test', level: 'silent' });
const model = defaultModelForRole.sceneSummary;
let database: TestDatabase;
let testBus: Awaited<ReturnType<typeof createTestBus>>;
let claude: AnthropicLocal;
let handle: ReturnType<typeof createSceneTaskHandler>;

beforeAll(async () => {
  [database, testBus, claude] = await Promise.all([createTestDatabase(), createTestBus(), startAnthropicLocal()]);
  handle = createSceneTaskHandler({
    db: database.db,
    bus: testBus.bus,
    client: createAnthropicClient({ apiKey: 'sk-ant-test', baseUrl: claude.url }),
    logger,
    claude: { maxAttempts: 3, retryBaseMs: 1, maxTokens: 512 },
  });
});
afterAll(async () => {
  await Promise.all([claude?.close(), testBus?.close(), database?.drop()]);
});

const delivery = (deliveryCount: number): MessageContext => ({ subject: Subject.sceneSummarize, deliveryCount, streamSequence: 1, working: () => undefined });
const messagesCalls = () => Object.values(claude.stats().byRoute['messages'] ?? {}).reduce((a, b) => a + b, 0);

/** A running job with one queued task, and the message that carries it. */
async function queuedTask(jobStatus: 'running' | 'cancelled' = 'running'): Promise<SceneTask> {
  const db = database.db;
  const text = 'INT. KITCHEN - NIGHT\n\nMARA drops the keys on the counter.\n\nMARA\nWe leave at dawn.';
  const script = await db.script.create({
    data: { title: 't', format: 'fountain', sceneCount: 1, scenes: { create: [{ position: 0, heading: 'INT. KITCHEN - NIGHT', text, characters: ['MARA'], contentHash: 'h0' }] } },
    include: { scenes: true },
  });
  const job = await db.analysisJob.create({
    data: { scriptId: script.id, mode: 'full', status: jobStatus, modelRole: 'sceneSummary', model, resolvedModel: model, totalScenes: 1 },
  });
  const scene = script.scenes[0]!;
  const task = await db.sceneTask.create({ data: { jobId: job.id, sceneId: scene.id, position: 0, contentHash: 'h0' } });
  return { jobId: job.id, taskId: task.id, scriptId: script.id, sceneId: scene.id, position: 0, heading: scene.heading, text, contentHash: 'h0', modelRole: 'sceneSummary', model };
}

async function lastResult(taskId: string) {
  const jsm = await jetstreamManager(testBus.bus.nc);
  const stored = await jsm.streams.getMessage(testBus.topology.streamName('sceneResults'), { last_by_subj: testBus.topology.subject(Subject.sceneResult) });
  const result = MessageSchema[Subject.sceneResult].parse(stored?.json());
  expect(result.taskId).toBe(taskId);
  return result;
}

describe('scene task handler', () => {
  it('summarizes a scene once, stores the summary on its task and reports it', async () => {
    const task = await queuedTask();
    const before = messagesCalls();
    await handle(task, delivery(1));
    expect(messagesCalls() - before).toBe(1);
    const stored = await database.db.sceneTask.findUniqueOrThrow({ where: { id: task.taskId }, include: { summary: true } });
    expect(stored).toMatchObject({ status: 'running', attempts: 1 });
    expect(stored.summary?.summary).toEqual(expect.any(String));
    expect(await lastResult(task.taskId)).toMatchObject({ outcome: 'succeeded', summaryId: stored.summaryId, attempts: 1 });
  });

  it('reports the stored summary of a redelivered task without a second call, even at delivery 1', async () => {
    const task = await queuedTask();
    await handle(task, delivery(1));
    const first = await lastResult(task.taskId);
    const before = messagesCalls();
    // NATS restarted before the acknowledgement and forgot the delivery: it comes as new.
    await handle(task, delivery(1));
    expect(messagesCalls() - before).toBe(0);
    expect(await lastResult(task.taskId)).toMatchObject({ outcome: 'succeeded', summaryId: first.summaryId });
  });

  it('sends nothing for a task whose job has ended', async () => {
    const task = await queuedTask('cancelled');
    const before = messagesCalls();
    await handle(task, delivery(1));
    expect(messagesCalls() - before).toBe(0);
    expect(await database.db.sceneTask.findUniqueOrThrow({ where: { id: task.taskId } })).toMatchObject({ status: 'queued', attempts: 0, summaryId: null });
  });
});
