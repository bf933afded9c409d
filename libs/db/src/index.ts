export { createPrismaClient, type Database } from './client';
export { createPgAdapter, type PgAdapterOptions } from './pg-adapter';
export { WriteBatcher, type WriteBatcherOptions } from './write-batcher';
export { Prisma } from './generated/prisma/client';
export type {
  AnalysisJob,
  Scene,
  SceneSummary,
  SceneTask,
  Script,
} from './generated/prisma/client';
export { JobMode, JobStatus, ScriptFormat, TaskStatus } from './generated/prisma/enums';
