import type { Database } from '@scenewise/db';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { type apiClient, type JobView, terminalStatuses } from '../../../tools/e2e/src/api-client';
import { sleep } from './lifecycle';

/**
 * Starts an analysis through the API and times it from the API's 202 to the moment the job
 * is seen in a terminal status. The status is polled from the jobs table (the row the API
 * reads) every `pollMs`: polling GET /api/jobs/{id}, which returns every task, would load the
 * API and PostgreSQL with work no client needs to do that often. The job as the API reports
 * it is read once at the end.
 */

export interface JobTiming {
  jobId: string;
  /** From the 202 arriving to the terminal status being seen, ms. */
  wallMs: number;
  /** The POST /analyze round trip, ms. */
  requestMs: number;
  job: JobView;
  timeline: JobTimeline;
}

/** When things happened, in ms after the job row was created (by the API, before its 202). */
export interface JobTimeline {
  /** The orchestrator took the job (model pre-flight done, scenes being selected). */
  started: number | null;
  firstTaskQueued: number | null;
  lastTaskQueued: number | null;
  firstTaskStarted: number | null;
  lastTaskStarted: number | null;
  lastTaskFinished: number | null;
  finished: number | null;
  /** Per task: queued → claimed by a summarizer, and claimed → finished, ms. */
  queueWaitP50: number | null;
  queueWaitP95: number | null;
  taskP50: number | null;
  taskP95: number | null;
  /** The Messages API call as the summarizer timed it (stored with each summary), ms. */
  claudeP50: number | null;
}

type Api = ReturnType<typeof apiClient>;

export async function runJob(
  api: Api,
  db: Database,
  scriptId: string,
  body: { mode?: 'full' | 'partial'; force?: boolean },
  options: { timeoutMs: number; pollMs?: number },
): Promise<JobTiming> {
  const sent = performance.now();
  const { jobId } = await api.analyze(scriptId, body);
  const accepted = performance.now();
  for (;;) {
    const row = await db.analysisJob.findUnique({ where: { id: jobId }, select: { status: true } });
    if (row && terminalStatuses.includes(row.status)) break;
    if (performance.now() - accepted > options.timeoutMs) {
      const job = await api.job(jobId).catch(() => undefined);
      throw new Error(`job ${jobId} still ${row?.status ?? 'missing'} after ${Math.round(options.timeoutMs / 1000)} s: ${JSON.stringify(job?.counts)}`);
    }
    await sleep(options.pollMs ?? 20);
  }
  const wallMs = performance.now() - accepted;
  return { jobId, wallMs, requestMs: accepted - sent, job: await api.job(jobId), timeline: await readTimeline(db, jobId) };
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Math.round(Number(v)));

export async function readTimeline(db: Database, jobId: string): Promise<JobTimeline> {
  const rows = await db.$queryRaw<Array<Record<string, unknown>>>`
    WITH j AS (SELECT * FROM analysis_jobs WHERE id = ${jobId}::uuid),
         t AS (SELECT * FROM scene_tasks WHERE job_id = ${jobId}::uuid),
         ms AS (SELECT extract(epoch FROM t.queued_at - j.created_at) * 1000 AS queued,
                       extract(epoch FROM t.started_at - j.created_at) * 1000 AS started,
                       extract(epoch FROM t.finished_at - j.created_at) * 1000 AS finished,
                       extract(epoch FROM t.started_at - t.queued_at) * 1000 AS wait,
                       extract(epoch FROM t.finished_at - t.started_at) * 1000 AS took
                  FROM t, j)
    SELECT (SELECT extract(epoch FROM started_at - created_at) * 1000 FROM j) AS started,
           (SELECT extract(epoch FROM finished_at - created_at) * 1000 FROM j) AS finished,
           min(queued) AS first_queued, max(queued) AS last_queued,
           min(started) AS first_started, max(started) AS last_started, max(finished) AS last_finished,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY wait) AS wait_p50,
           percentile_cont(0.95) WITHIN GROUP (ORDER BY wait) AS wait_p95,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY took) AS took_p50,
           percentile_cont(0.95) WITHIN GROUP (ORDER BY took) AS took_p95,
           (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms) FROM scene_summaries WHERE job_id = ${jobId}::uuid) AS claude_p50
      FROM ms`;
  const r = rows[0] ?? {};
  return {
    started: num(r['started']),
    firstTaskQueued: num(r['first_queued']),
    lastTaskQueued: num(r['last_queued']),
    firstTaskStarted: num(r['first_started']),
    lastTaskStarted: num(r['last_started']),
    lastTaskFinished: num(r['last_finished']),
    finished: num(r['finished']),
    queueWaitP50: num(r['wait_p50']),
    queueWaitP95: num(r['wait_p95']),
    taskP50: num(r['took_p50']),
    taskP95: num(r['took_p95']),
    claudeP50: num(r['claude_p50']),
  };
}

export const settled = (job: JobView): number => job.counts.succeeded + job.counts.failed + job.counts.cancelled + job.counts.skipped;
