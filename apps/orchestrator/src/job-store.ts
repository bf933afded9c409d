import type { SceneResult } from '@scenewise/contracts';
import { type AnalysisJob, type Database, Prisma } from '@scenewise/db';
import { type DispatchState, type DispatchWindow, tasksToDispatch } from './dispatch-window';
import { decideTerminalStatus, doneCount, type TaskCounts } from './job-status';

/** A task's outcome as written by `recordSceneResults`: a row of its jsonb argument. */
interface OutcomeRow {
  id: string;
  job_id: string;
  status: SceneResult['outcome'];
  summary_id: string | null;
  error_type: string | null;
  error_message: string | null;
  finished_at: string;
  input_tokens: number | null;
  output_tokens: number | null;
  cost_usd: number | null;
}

/**
 * Moves each result's task to its outcome, with what its calls used, in one statement. Only
 * a task that is not yet terminal moves, so a redelivered result changes nothing; returns,
 * per result, whether this call moved its task (a task named twice moves once, for the
 * first). The job row is not touched here (see foldJobCounts): results never queue on its lock.
 */
export async function recordSceneResults(db: Database, results: readonly SceneResult[]): Promise<boolean[]> {
  if (results.length === 0) return [];
  const rows = results.map((result): OutcomeRow => {
    const usage = result.usage;
    return {
      id: result.taskId,
      job_id: result.jobId,
      status: result.outcome,
      summary_id: result.summaryId ?? null,
      error_type: result.error?.type ?? null,
      error_message: result.error?.message ?? null,
      finished_at: result.finishedAt,
      // Without usage the stored figures stay as they are.
      input_tokens: usage ? usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens : null,
      output_tokens: usage ? usage.outputTokens : null,
      cost_usd: usage ? (result.costUsd ?? 0) : null,
    };
  });
  // `attempts` is not written here: the summarizer counts every Claude call as it claims it.
  const moved = await db.$queryRaw<Array<{ id: string }>>`
    UPDATE scene_tasks t
       SET status = r.status, summary_id = r.summary_id, error_type = r.error_type, error_message = r.error_message,
           finished_at = r.finished_at,
           input_tokens = COALESCE(r.input_tokens, t.input_tokens),
           output_tokens = COALESCE(r.output_tokens, t.output_tokens),
           cost_usd = COALESCE(r.cost_usd, t.cost_usd),
           updated_at = ${new Date()}
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(
             id uuid, job_id uuid, status "TaskStatus", summary_id uuid, error_type text, error_message text,
             finished_at timestamptz, input_tokens int, output_tokens int, cost_usd float8)
     WHERE t.id = r.id AND t.job_id = r.job_id AND t.status IN ('queued', 'running')
    RETURNING t.id`;
  const movedIds = new Set(moved.map((row) => row.id));
  return results.map((result) => movedIds.delete(result.taskId));
}

/** A scene task with what its work-queue message carries. */
export interface TaskToPublish {
  id: string;
  sceneId: string;
  position: number;
  contentHash: string;
  heading: string;
  text: string;
}

export interface FoldedJob {
  job: AnalysisJob;
  /** Whether this fold ended the job. */
  ended: boolean;
  /** Tasks this fold claimed for publishing (marked dispatched; the caller publishes them). */
  claimed: TaskToPublish[];
  /** Tasks of a running job still waiting in PostgreSQL for room in its window after this fold. */
  undispatched: number;
}

/** Every column of analysis_jobs under its field name: a raw query's rows read as `AnalysisJob`s. */
const jobColumns = Prisma.raw(
  Object.entries({
    id: 'id', scriptId: 'script_id', mode: 'mode', status: 'status', force: 'force', modelRole: 'model_role', model: 'model',
    resolvedModel: 'resolved_model', totalScenes: 'total_scenes', succeeded: 'succeeded', failed: 'failed',
    cancelled: 'cancelled', skipped: 'skipped', inputTokens: 'input_tokens', outputTokens: 'output_tokens',
    costUsd: 'cost_usd', errorType: 'error_type', errorMessage: 'error_message', traceId: 'trace_id',
    parentJobId: 'parent_job_id', idempotencyKey: 'idempotency_key', idempotencyRequestHash: 'idempotency_request_hash',
    createdAt: 'created_at', startedAt: 'started_at', finishedAt: 'finished_at', updatedAt: 'updated_at',
  } satisfies Record<keyof AnalysisJob, string>)
    .map(([field, column]) => `analysis_jobs.${column} AS "${field}"`)
    .join(', '),
);

/**
 * Recomputes a job's counts and usage from its tasks and, once all are terminal, ends a
 * running job with the status they add up to. The job row is locked first, so the
 * aggregate that follows sees every task outcome committed before it and concurrent folds
 * (another orchestrator instance) cannot write stale counts. Returns the job and whether
 * this call ended it.
 *
 * Given a dispatch window, a running job's window is topped up under the same lock: the
 * tasks that fit are claimed (marked dispatched) and returned for the caller to publish, so
 * instances folding the same job never overfill it.
 *
 * Raw SQL, one statement for the counts: folds run several times a second while results
 * stream in, and a model query costs several times a raw one in the client.
 */
export async function foldJobCounts(db: Database, jobId: string, window?: DispatchWindow): Promise<FoldedJob> {
  return db.$transaction(async (tx) => {
    const [current] = await tx.$queryRaw<Array<{ status: AnalysisJob['status'] }>>`
      SELECT status FROM analysis_jobs WHERE id = ${jobId}::uuid FOR UPDATE`;
    if (!current) throw new Error(`no job ${jobId}`);
    const now = new Date();
    const [counted] = await tx.$queryRaw<Array<AnalysisJob & DispatchState>>`
      WITH tally AS (
        SELECT count(*)::int                                       AS total,
               count(*) FILTER (WHERE status = 'succeeded')::int   AS succeeded,
               count(*) FILTER (WHERE status = 'failed')::int      AS failed,
               count(*) FILTER (WHERE status = 'cancelled')::int   AS cancelled,
               count(*) FILTER (WHERE status = 'skipped')::int     AS skipped,
               COALESCE(sum(input_tokens), 0)::int                 AS input_tokens,
               COALESCE(sum(output_tokens), 0)::int                AS output_tokens,
               COALESCE(sum(cost_usd), 0)::float8                  AS cost_usd,
               count(*) FILTER (WHERE status = 'queued' AND dispatched_at IS NOT NULL)::int AS waiting,
               count(*) FILTER (WHERE status = 'queued' AND dispatched_at IS NULL)::int     AS undispatched
          FROM scene_tasks WHERE job_id = ${jobId}::uuid)
      UPDATE analysis_jobs
         SET total_scenes = tally.total, succeeded = tally.succeeded, failed = tally.failed, cancelled = tally.cancelled,
             skipped = tally.skipped, input_tokens = tally.input_tokens, output_tokens = tally.output_tokens,
             cost_usd = tally.cost_usd, updated_at = ${now}
        FROM tally
       WHERE analysis_jobs.id = ${jobId}::uuid
      RETURNING ${jobColumns}, tally.waiting, tally.undispatched`;
    const { waiting, undispatched, ...job } = counted!;
    const counts: TaskCounts = { total: job.totalScenes, succeeded: job.succeeded, failed: job.failed, cancelled: job.cancelled, skipped: job.skipped };
    const ends = current.status === 'running' && doneCount(counts) === counts.total;
    const dispatch = window && current.status === 'running' ? tasksToDispatch({ waiting, undispatched }, window) : 0;
    const claimed = dispatch > 0 ? await claimUndispatchedTasks(tx, jobId, dispatch) : [];
    const stillUndispatched = current.status === 'running' ? undispatched - claimed.length : 0;
    if (!ends) return { job, ended: false, claimed, undispatched: stillUndispatched };
    const [ended] = await tx.$queryRaw<AnalysisJob[]>`
      UPDATE analysis_jobs SET status = ${decideTerminalStatus(counts)}::"JobStatus", finished_at = ${now}, updated_at = ${now}
       WHERE id = ${jobId}::uuid
      RETURNING ${jobColumns}`;
    return { job: ended!, ended: true, claimed, undispatched: 0 };
  });
}

/**
 * Marks up to `count` of a job's undispatched tasks dispatched, first scenes first, and
 * returns them. The dispatch time restarts the task's stall clock (`updated_at`): the
 * reconciler measures silence from the moment a task could first be worked on. A task
 * cancelled meanwhile is skipped, never claimed.
 */
async function claimUndispatchedTasks(tx: Prisma.TransactionClient, jobId: string, count: number): Promise<TaskToPublish[]> {
  return tx.$queryRaw<TaskToPublish[]>`
    WITH picked AS MATERIALIZED (
      -- Materialized, so it runs once: as an IN (subquery) the planner may re-run it per row.
      SELECT id FROM scene_tasks
       WHERE job_id = ${jobId}::uuid AND status = 'queued' AND dispatched_at IS NULL
       ORDER BY position LIMIT ${count}
       FOR UPDATE SKIP LOCKED),
    claimed AS (
      UPDATE scene_tasks t SET dispatched_at = now(), updated_at = now()
        FROM picked
       WHERE t.id = picked.id AND t.status = 'queued' AND t.dispatched_at IS NULL
      RETURNING t.id, t.scene_id, t.position, t.content_hash)
    SELECT c.id, c.scene_id AS "sceneId", c.position, c.content_hash AS "contentHash", s.heading, s.text
      FROM claimed c JOIN scenes s ON s.id = c.scene_id
     ORDER BY c.position`;
}

/**
 * Ends a job at once because of an error that dooms every other scene (model gone, auth,
 * spend limit): its queued tasks are cancelled and never sent. Returns false when the job
 * had already ended.
 */
export async function failJob(db: Database, jobId: string, error: { type: string; message: string }): Promise<boolean> {
  const now = new Date();
  const { count } = await db.analysisJob.updateMany({
    where: { id: jobId, status: { in: ['queued', 'running'] } },
    data: { status: 'failed', errorType: error.type, errorMessage: error.message, finishedAt: now },
  });
  await db.sceneTask.updateMany({
    where: { jobId, status: 'queued' },
    data: { status: 'cancelled', errorType: 'job_stopped', errorMessage: `job stopped: ${error.message}`, finishedAt: now },
  });
  return count === 1;
}
