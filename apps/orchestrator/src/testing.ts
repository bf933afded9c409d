import type { Database } from '@scenewise/db';
import { createTestScript } from '@scenewise/db/testing';

/**
 * Test-only: a running job over a new script of `scenes` scenes, one queued task per scene,
 * already dispatched (in the work queue) unless `dispatched` is false. Returns the job, its
 * tasks and the scenes, in scene order.
 */
export async function createRunningJob(db: Database, scenes: number, { dispatched = true } = {}) {
  const script = await createTestScript(db, scenes);
  const job = await db.analysisJob.create({
    data: { scriptId: script.id, mode: 'full', status: 'running', modelRole: 'sceneSummary', model: 'm', resolvedModel: 'm-1', totalScenes: scenes, startedAt: new Date() },
  });
  await db.sceneTask.createMany({
    data: script.scenes.map((s) => ({ jobId: job.id, sceneId: s.id, position: s.position, contentHash: s.contentHash, dispatchedAt: dispatched ? new Date() : null })),
  });
  const tasks = await db.sceneTask.findMany({ where: { jobId: job.id }, orderBy: { position: 'asc' } });
  return { job, tasks, scenes: script.scenes };
}
