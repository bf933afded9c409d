import type { SceneTask } from '@scenewise/contracts';
import type { Database, SceneSummary } from '@scenewise/db';
import type { ClaudeSummary } from './claude-call';

/**
 * Claims the task for one more Claude attempt. Fails (returns false) once the task is
 * terminal or its job has ended, so a cancelled or failed-fast job sends no further calls.
 */
export async function claimAttempt(db: Database, taskId: string): Promise<boolean> {
  const updated = await db.$executeRaw`
    UPDATE scene_tasks t
       SET status = 'running', attempts = t.attempts + 1, started_at = COALESCE(t.started_at, now()), updated_at = now()
     WHERE t.id = ${taskId}::uuid
       AND t.status IN ('queued', 'running')
       AND EXISTS (SELECT 1 FROM analysis_jobs j WHERE j.id = t.job_id AND j.status IN ('queued', 'running'))`;
  return updated === 1;
}

/** A summary already stored for exactly this text and model (a redelivered task reuses it). */
export function findStoredSummary(db: Database, task: SceneTask): Promise<SceneSummary | null> {
  return db.sceneSummary.findUnique({
    where: { sceneId_contentHash_model: { sceneId: task.sceneId, contentHash: task.contentHash, model: task.model } },
  });
}

/** Idempotent: one row per (scene, content hash, model); a newer answer replaces the older. */
export function storeSummary(
  db: Database,
  task: SceneTask,
  result: ClaudeSummary,
  costUsd: number | null,
): Promise<SceneSummary> {
  const fields = {
    summary: result.output.summary,
    characters: result.output.characters,
    mood: result.output.mood,
    keyEvents: result.output.keyEvents,
    inputTokens: result.usage.inputTokens,
    outputTokens: result.usage.outputTokens,
    cacheReadTokens: result.usage.cacheReadTokens,
    cacheWriteTokens: result.usage.cacheWriteTokens,
    costUsd,
    latencyMs: result.latencyMs,
  };
  return db.sceneSummary.upsert({
    where: { sceneId_contentHash_model: { sceneId: task.sceneId, contentHash: task.contentHash, model: task.model } },
    create: { sceneId: task.sceneId, contentHash: task.contentHash, model: task.model, jobId: task.jobId, ...fields },
    update: fields,
  });
}

/** Stops the rest of a job at once: its not-yet-started tasks will never be sent. */
export async function cancelQueuedTasks(db: Database, jobId: string, reason: string): Promise<number> {
  const { count } = await db.sceneTask.updateMany({
    where: { jobId, status: 'queued' },
    data: { status: 'cancelled', errorType: 'job_stopped', errorMessage: reason, finishedAt: new Date() },
  });
  return count;
}
