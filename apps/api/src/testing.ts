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
