import type { Stats } from '@scenewise/anthropic-local';
import type { Database } from '@scenewise/db';

/**
 * The end-of-scenario check every fault shares: the promise is that every scene of an
 * accepted job ends with exactly one outcome (a stored summary or a recorded error) and
 * that the job's status is true to its scenes. Returns the numbers, and every broken
 * promise as a sentence in `problems`.
 */
export interface Outcomes {
  jobStatus: string;
  jobError: string | null;
  scenes: number;
  tasks: number;
  byStatus: Record<string, number>;
  /** Scenes of the script without a task in the job. */
  lostScenes: number;
  /** Tasks still queued or running. */
  unfinished: number;
  /** Succeeded tasks with exactly one stored summary (scene, content hash, model) that the task points at. */
  summarized: number;
  /** Failed or cancelled tasks with an error recorded. */
  failedWithError: number;
  /** Claude calls received on /v1/messages (answered, hung or abandoned). */
  claudeCalls: number;
  /** Answered calls by HTTP status. */
  claudeAnswers: Record<string, number>;
  /** Calls never answered: hung, or abandoned when the caller timed out or died. */
  claudeUnanswered: number;
  /** claudeCalls − scenes: what the fault cost. */
  extraClaudeCalls: number;
  /** Claude attempts the tasks recorded (claims), summed. */
  attemptsRecorded: number;
  problems: string[];
}

interface TaskRow {
  position: number;
  status: string;
  summary_id: string | null;
  error_type: string | null;
  error_message: string | null;
  attempts: number;
  summaries: bigint;
  matching_summary_id: string | null;
}

const terminalTask = ['succeeded', 'failed', 'cancelled', 'skipped'];

/** Calls that reached /v1/messages: every counted call minus the Models API's. */
export function messagesCalls(stats: Stats): { calls: number; answers: Record<string, number> } {
  const sum = (counts: Record<string, number> | undefined) => Object.values(counts ?? {}).reduce((a, b) => a + b, 0);
  return { calls: stats.total - sum(stats.byRoute['models']), answers: { ...(stats.byRoute['messages'] ?? {}) } };
}

export async function checkOutcomes(db: Database, jobId: string, claude: Stats): Promise<Outcomes> {
  const problems: string[] = [];
  const [job] = await db.$queryRaw<
    Array<{ status: string; script_id: string; resolved_model: string | null; total_scenes: number; succeeded: number; failed: number; cancelled: number; skipped: number; error_type: string | null; error_message: string | null }>
  >`SELECT status::text, script_id::text, resolved_model, total_scenes, succeeded, failed, cancelled, skipped, error_type, error_message
      FROM analysis_jobs WHERE id = ${jobId}::uuid`;
  if (!job) throw new Error(`no job ${jobId}`);
  const [{ n: sceneCount } = { n: 0n }] = await db.$queryRaw<Array<{ n: bigint }>>`
    SELECT count(*) AS n FROM scenes WHERE script_id = ${job.script_id}::uuid`;
  const scenes = Number(sceneCount);

  // One row per scene: its task in this job (if any) and the summaries stored for exactly
  // the task's text and the job's model.
  const rows = await db.$queryRaw<Array<TaskRow & { has_task: boolean }>>`
    SELECT s.position, t.id IS NOT NULL AS has_task, t.status::text AS status, t.summary_id::text AS summary_id,
           t.error_type, t.error_message, COALESCE(t.attempts, 0)::int AS attempts,
           (SELECT count(*) FROM scene_summaries ss
             WHERE ss.scene_id = s.id AND ss.content_hash = t.content_hash AND ss.model = ${job.resolved_model}) AS summaries,
           (SELECT ss.id::text FROM scene_summaries ss
             WHERE ss.scene_id = s.id AND ss.content_hash = t.content_hash AND ss.model = ${job.resolved_model} LIMIT 1) AS matching_summary_id
      FROM scenes s LEFT JOIN scene_tasks t ON t.scene_id = s.id AND t.job_id = ${jobId}::uuid
     WHERE s.script_id = ${job.script_id}::uuid
     ORDER BY s.position`;
  const tasks = rows.filter((r) => r.has_task);
  const lost = rows.filter((r) => !r.has_task).map((r) => r.position);
  const byStatus: Record<string, number> = {};
  for (const t of tasks) byStatus[t.status] = (byStatus[t.status] ?? 0) + 1;
  const count = (status: string) => byStatus[status] ?? 0;

  const positions = (list: TaskRow[]) => list.map((t) => t.position).slice(0, 12).join(', ') + (list.length > 12 ? ', …' : '');
  if (lost.length) problems.push(`${lost.length} scene(s) have no task in the job (positions ${lost.slice(0, 12).join(', ')})`);
  const unfinished = tasks.filter((t) => !terminalTask.includes(t.status));
  if (unfinished.length) {
    const queued = unfinished.filter((t) => t.status === 'queued');
    const running = unfinished.filter((t) => t.status === 'running');
    problems.push(
      `${unfinished.length} scene(s) have no outcome: ${queued.length} queued${queued.length ? ` (positions ${positions(queued)})` : ''}, ` +
        `${running.length} running${running.length ? ` (positions ${positions(running)})` : ''}`,
    );
  }
  const succeeded = tasks.filter((t) => t.status === 'succeeded');
  const summarized = succeeded.filter((t) => Number(t.summaries) === 1 && t.summary_id === t.matching_summary_id);
  if (summarized.length !== succeeded.length) {
    const bad = succeeded.filter((t) => !summarized.includes(t));
    problems.push(`${bad.length} succeeded scene(s) without exactly one stored summary for their text and model (positions ${positions(bad)})`);
  }
  const failed = tasks.filter((t) => t.status === 'failed' || t.status === 'cancelled');
  const failedWithError = failed.filter((t) => t.error_type && t.error_message);
  if (failedWithError.length !== failed.length) {
    problems.push(`${failed.length - failedWithError.length} failed or cancelled scene(s) without a recorded error`);
  }
  const twoOutcomes = failed.filter((t) => t.status === 'failed' && Number(t.summaries) > 0);
  if (twoOutcomes.length) problems.push(`${twoOutcomes.length} failed scene(s) also have a stored summary (positions ${positions(twoOutcomes)})`);

  const counted = { total: tasks.length, succeeded: count('succeeded'), failed: count('failed'), cancelled: count('cancelled'), skipped: count('skipped') };
  const stored = { total: job.total_scenes, succeeded: job.succeeded, failed: job.failed, cancelled: job.cancelled, skipped: job.skipped };
  if (JSON.stringify(counted) !== JSON.stringify(stored)) {
    problems.push(`job counts ${JSON.stringify(stored)} differ from its tasks ${JSON.stringify(counted)}`);
  }
  problems.push(...statusProblems(job.status, counted, unfinished.length, job.error_type));

  const { calls, answers } = messagesCalls(claude);
  const answered = Object.values(answers).reduce((a, b) => a + b, 0);
  return {
    jobStatus: job.status,
    jobError: job.error_type ? `${job.error_type}: ${job.error_message}` : null,
    scenes,
    tasks: tasks.length,
    byStatus,
    lostScenes: lost.length,
    unfinished: unfinished.length,
    summarized: summarized.length,
    failedWithError: failedWithError.length,
    claudeCalls: calls,
    claudeAnswers: answers,
    claudeUnanswered: calls - answered,
    extraClaudeCalls: calls - scenes,
    attemptsRecorded: tasks.reduce((sum, t) => sum + t.attempts, 0),
    problems,
  };
}

/** Whether the job's status is true to its tasks. */
function statusProblems(
  status: string,
  counts: { total: number; succeeded: number; failed: number; cancelled: number; skipped: number },
  unfinished: number,
  errorType: string | null,
): string[] {
  const bad = counts.failed + counts.cancelled;
  switch (status) {
    case 'queued':
    case 'running':
      return [`the job is still ${status}`];
    case 'succeeded':
      return bad || unfinished ? [`the job says succeeded with ${bad} failed/cancelled and ${unfinished} unfinished scene(s)`] : [];
    case 'partially_failed':
      return counts.succeeded > 0 && bad > 0 && !unfinished ? [] : [`the job says partially_failed with counts ${JSON.stringify(counts)}, ${unfinished} unfinished`];
    case 'failed':
      // A job-wide error (model gone, auth, spend limit) fails the job whatever some scenes did.
      if (unfinished) return [`the job says failed with ${unfinished} scene(s) still unfinished`];
      return counts.succeeded === 0 || errorType ? [] : [`the job says failed although ${counts.succeeded} scene(s) succeeded and no job error is recorded`];
    case 'cancelled':
      return unfinished ? [`the job says cancelled with ${unfinished} scene(s) still unfinished`] : [];
    default:
      return [`unknown job status ${status}`];
  }
}
