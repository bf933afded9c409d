import type { SceneTask } from '@scenewise/contracts';
import type { Database } from '@scenewise/db';
import type { ClaudeSummary } from './claude-call';

/**
 * Claims the task for one more Claude attempt. Fails (returns false) once the task is
 * terminal or its job has ended, so a cancelled or failed-fast job sends no further calls.
 */
export async function claimAttempt(db: Database, taskId: string): Promise<boolean> {
  return (await claimTask(db, taskId)) !== null;
}

/** Whether the task may still make its call (not terminal, its job still going). */
export async function taskIsRunnable(db: Database, taskId: string): Promise<boolean> {
  const rows = await db.$queryRaw<Array<{ runnable: boolean }>>`
    SELECT EXISTS (
      SELECT 1 FROM scene_tasks t JOIN analysis_jobs j ON j.id = t.job_id
       WHERE t.id = ${taskId}::uuid AND t.status IN ('queued', 'running') AND j.status IN ('queued', 'running')
    ) AS runnable`;
  return rows[0]?.runnable === true;
}

export interface TaskClaim {
  /** The summary this task already stored, when an earlier delivery got that far. */
  storedSummary: { id: string; latencyMs: number } | null;
}

/**
 * The first claim of a delivery, as `claimAttempt`, telling also whether the task already has
 * its summary: a worker (or NATS) that died after the summary was stored but before the task
 * was acknowledged leaves one, whatever the delivery count says, and it is reported, not paid
 * for twice. Null when the task may not run.
 */
export async function claimTask(db: Database, taskId: string): Promise<TaskClaim | null> {
  const rows = await db.$queryRaw<Array<{ summary_id: string | null; latency_ms: number | null }>>`
    UPDATE scene_tasks t
       SET status = 'running', attempts = t.attempts + 1, started_at = COALESCE(t.started_at, now()), updated_at = now()
     WHERE t.id = ${taskId}::uuid
       AND t.status IN ('queued', 'running')
       AND EXISTS (SELECT 1 FROM analysis_jobs j WHERE j.id = t.job_id AND j.status IN ('queued', 'running'))
 RETURNING t.summary_id, (SELECT s.latency_ms FROM scene_summaries s WHERE s.id = t.summary_id) AS latency_ms`;
  const row = rows[0];
  if (!row) return null;
  return { storedSummary: row.summary_id ? { id: row.summary_id, latencyMs: row.latency_ms ?? 0 } : null };
}

/**
 * Stores the summary (one row per scene, content hash and model; a newer answer replaces the
 * older) and links it to the task, in one statement: from then on a redelivery of the task
 * reports this summary instead of calling Claude again. Returns the summary's id.
 */
export async function storeSummary(db: Database, task: SceneTask, result: ClaudeSummary, costUsd: number | null): Promise<string> {
  const { output, usage } = result;
  const rows = await db.$queryRaw<Array<{ id: string }>>`
    WITH stored AS (
      INSERT INTO scene_summaries AS s
             (id, scene_id, content_hash, model, job_id, summary, characters, mood, key_events,
              input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_usd, latency_ms)
      VALUES (gen_random_uuid(), ${task.sceneId}::uuid, ${task.contentHash}, ${task.model}, ${task.jobId}::uuid,
              ${output.summary}, ${output.characters}::text[], ${output.mood}, ${output.keyEvents}::text[],
              ${usage.inputTokens}, ${usage.outputTokens}, ${usage.cacheReadTokens}, ${usage.cacheWriteTokens},
              ${costUsd}, ${result.latencyMs})
      ON CONFLICT (scene_id, content_hash, model) DO UPDATE
         SET summary = EXCLUDED.summary, characters = EXCLUDED.characters, mood = EXCLUDED.mood,
             key_events = EXCLUDED.key_events, input_tokens = EXCLUDED.input_tokens,
             output_tokens = EXCLUDED.output_tokens, cache_read_tokens = EXCLUDED.cache_read_tokens,
             cache_write_tokens = EXCLUDED.cache_write_tokens, cost_usd = EXCLUDED.cost_usd,
             latency_ms = EXCLUDED.latency_ms
      RETURNING s.id
    )
    UPDATE scene_tasks SET summary_id = (SELECT id FROM stored) WHERE id = ${task.taskId}::uuid
    RETURNING summary_id AS id`;
  const id = rows[0]?.id;
  if (!id) throw new Error(`scene task ${task.taskId} is gone; its summary was not kept`);
  return id;
}

/** Stops the rest of a job at once: its not-yet-started tasks will never be sent. */
export async function cancelQueuedTasks(db: Database, jobId: string, reason: string): Promise<number> {
  const { count } = await db.sceneTask.updateMany({
    where: { jobId, status: 'queued' },
    data: { status: 'cancelled', errorType: 'job_stopped', errorMessage: reason, finishedAt: new Date() },
  });
  return count;
}
