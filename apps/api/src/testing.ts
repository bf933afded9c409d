import type { AnalysisJob, Database, Prisma } from '@scenewise/db';
import { createTestDatabase, type TestDatabase } from '@scenewise/db/testing';
import type { MessageBus } from '@scenewise/messaging';
import { createTestBus } from '@scenewise/messaging/testing';
import { createLogger } from '@scenewise/telemetry';
import type { Express } from 'express';
import { type AppDeps, createApp } from './app';

/** Test-only: the API on its own database and NATS namespace, without `listen`. */
export async function createTestApp(config: Partial<AppDeps['config']> = {}): Promise<{
  database: TestDatabase;
  bus: MessageBus;
  app: Express;
  close(): Promise<void>;
}> {
  const database = await createTestDatabase();
  const { bus, close: closeBus } = await createTestBus();
  const app = createApp({
    db: database.db,
    bus,
    logger: createLogger({ service: 'api-test', level: 'silent' }),
    config: { limits: { maxUploadBytes: 64 * 1024, maxScenes: 50, maxSceneChars: 5_000 }, jaegerUiUrl: 'http://jaeger.test', ...config },
    ready: () => true,
  });
  return {
    database,
    bus,
    app,
    async close() {
      await closeBus();
      await database.drop();
    },
  };
}

type TaskFields = Omit<Prisma.SceneTaskCreateWithoutJobInput, 'scene' | 'position' | 'contentHash'>;

/**
 * Test-only: a job that has ended, over the script's first `tasks.length` scenes in order, as
 * the orchestrator leaves one: each task as given (default `succeeded`), the job's counts
 * added up from them, `partially_failed` unless every task succeeded.
 */
export async function createEndedJob(
  db: Database,
  scriptId: string,
  tasks: TaskFields[],
  job: Partial<Prisma.AnalysisJobUncheckedCreateInput> = {},
): Promise<AnalysisJob> {
  const scenes = await db.scene.findMany({ where: { scriptId }, orderBy: { position: 'asc' }, take: tasks.length });
  const withStatus = tasks.map((task) => ({ status: 'succeeded' as const, ...task }));
  const count = (status: string) => withStatus.filter((t) => t.status === status).length;
  return db.analysisJob.create({
    data: {
      scriptId,
      mode: 'full',
      modelRole: 'sceneSummary',
      status: count('succeeded') === tasks.length ? 'succeeded' : 'partially_failed',
      totalScenes: tasks.length,
      succeeded: count('succeeded'),
      failed: count('failed'),
      cancelled: count('cancelled'),
      skipped: count('skipped'),
      finishedAt: new Date(),
      ...job,
      tasks: { create: withStatus.map((task, i) => ({ sceneId: scenes[i]!.id, position: scenes[i]!.position, contentHash: scenes[i]!.contentHash, ...task })) },
    },
  });
}
