import type { SceneTask } from '@scenewise/contracts';
import type { Database } from '@scenewise/db';
import type { SceneSummaryOutput, TokenUsage } from '@scenewise/claude';

/**
 * Claims the task for one more Claude attempt. Fails (returns false) once the task is
 * terminal or its job has ended, so a cancelled or failed-fast job sends no further calls.
 */
export async function claimAttempt(db: Database, taskId: string): Promise<boolean> {
  const [claim] = await claimTasks(db, [taskId]);
  return claim !== null;
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
 * The first claims of many deliveries, in one statement, as `claimAttempt`, telling also
 * whether each task already has its summary: a worker (or NATS) that died after the summary
 * was stored but before the task was acknowledged leaves one, whatever the delivery count
 * says, and it is reported, not paid for twice. Null, in order, for a task that may not run.
 */
export async function claimTasks(db: Database, taskIds: readonly string[]): Promise<Array<TaskClaim | null>> {
  const rows = await db.$queryRaw<Array<{ id: string; summary_id: string | null; latency_ms: number | null }>>`
    UPDATE scene_tasks t
       SET status = 'running', attempts = t.attempts + 1, started_at = COALESCE(t.started_at, now()), updated_at = now()
     WHERE t.id = ANY(${taskIds}::uuid[])
       AND t.status IN ('queued', 'running')
       AND EXISTS (SELECT 1 FROM analysis_jobs j WHERE j.id = t.job_id AND j.status IN ('queued', 'running'))
 RETURNING t.id, t.summary_id, (SELECT s.latency_ms FROM scene_summaries s WHERE s.id = t.summary_id) AS latency_ms`;
  const claimed = new Map(rows.map((row) => [row.id, row]));
  return taskIds.map((id) => {
    const row = claimed.get(id);
    if (!row) return null;
    return { storedSummary: row.summary_id ? { id: row.summary_id, latencyMs: row.latency_ms ?? 0 } : null };
  });
}

export interface SummaryToStore {
  task: SceneTask;
  /** The answer, and what all of the task's calls used and cost together. */
  result: { output: SceneSummaryOutput; usage: TokenUsage; latencyMs: number };
  costUsd: number | null;
}

/**
 * Stores summaries (one row per scene, content hash and model; a newer answer replaces the
 * older) and links each to its task, all in one statement: from then on a redelivery of a task
 * reports its summary instead of calling Claude again. Returns each summary's id, in order.
 */
export async function storeSummaries(db: Database, items: readonly SummaryToStore[]): Promise<string[]> {
  const rows = items.map(({ task, result, costUsd }) => ({
    task_id: task.taskId,
    scene_id: task.sceneId,
    content_hash: task.contentHash,
    model: task.model,
    job_id: task.jobId,
    summary: result.output.summary,
    characters: result.output.characters,
    mood: result.output.mood,
    key_events: result.output.keyEvents,
    input_tokens: result.usage.inputTokens,
    output_tokens: result.usage.outputTokens,
    cache_read_tokens: result.usage.cacheReadTokens,
    cache_write_tokens: result.usage.cacheWriteTokens,
    cost_usd: costUsd,
    latency_ms: result.latencyMs,
  }));
  // Two tasks of one batch can carry the same scene text for the same model (two jobs over one
  // script): one row is written for them (an upsert may not touch a row twice), both link to it.
  const linked = await db.$queryRaw<Array<{ task_id: string; id: string }>>`
    WITH input AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(
        task_id uuid, scene_id uuid, content_hash text, model text, job_id uuid, summary text, characters text[],
        mood text, key_events text[], input_tokens int, output_tokens int, cache_read_tokens int,
        cache_write_tokens int, cost_usd float8, latency_ms int)
    ), stored AS (
      INSERT INTO scene_summaries AS s
             (id, scene_id, content_hash, model, job_id, summary, characters, mood, key_events,
              input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_usd, latency_ms)
      SELECT DISTINCT ON (scene_id, content_hash, model)
             gen_random_uuid(), scene_id, content_hash, model, job_id, summary, characters, mood, key_events,
             input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_usd, latency_ms
        FROM input
      ON CONFLICT (scene_id, content_hash, model) DO UPDATE
         SET summary = EXCLUDED.summary, characters = EXCLUDED.characters, mood = EXCLUDED.mood,
             key_events = EXCLUDED.key_events, input_tokens = EXCLUDED.input_tokens,
             output_tokens = EXCLUDED.output_tokens, cache_read_tokens = EXCLUDED.cache_read_tokens,
             cache_write_tokens = EXCLUDED.cache_write_tokens, cost_usd = EXCLUDED.cost_usd,
             latency_ms = EXCLUDED.latency_ms
      RETURNING s.id, s.scene_id, s.content_hash, s.model
    )
    UPDATE scene_tasks t
       SET summary_id = stored.id
      FROM input JOIN stored USING (scene_id, content_hash, model)
     WHERE t.id = input.task_id
 RETURNING t.id AS task_id, t.summary_id AS id`;
  const summaryOf = new Map(linked.map((row) => [row.task_id, row.id]));
  return items.map(({ task }) => {
    const id = summaryOf.get(task.taskId);
    if (!id) throw new Error(`scene task ${task.taskId} is gone; its summary was not kept`);
    return id;
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
