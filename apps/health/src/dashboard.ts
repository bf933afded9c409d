import type { Database } from '@scenewise/db';

/**
 * The seed's dashboard metrics, read from PostgreSQL: what the pipeline did in the last
 * hour and today (UTC), and the most recent jobs. Durations in seconds, latencies in ms.
 */
export interface Dashboard {
  /** Jobs that reached a terminal status in the last hour, by status. */
  jobsLastHour: { total: number; byStatus: Record<string, number> };
  /** finishedAt − startedAt over the jobs that finished in the last 24 h. */
  averageJobSeconds: { value: number | null; jobs: number };
  /**
   * Scene tasks that finished in the last hour and ended `failed` (their Claude calls failed
   * after every retry), as a share of those that ended `succeeded` or `failed`.
   */
  sceneFailureRate: { value: number | null; failed: number; finished: number };
  /** Claude call latency of the summaries stored in the last hour, interpolated, whole ms. */
  modelLatencyMs: { p50: number | null; p95: number | null; calls: number };
  /** Summaries stored since midnight UTC; input includes cache reads and writes. */
  usageToday: { inputTokens: number; outputTokens: number; costUsd: number; calls: number; unpricedCalls: number };
  recentJobs: RecentJob[];
}

export interface RecentJob {
  id: string;
  scriptTitle: string;
  status: string;
  mode: string;
  totalScenes: number;
  succeeded: number;
  failed: number;
  cancelled: number;
  skipped: number;
  /** Until it finished, or so far while it runs; null before it started. */
  durationSeconds: number | null;
  createdAt: string;
  finishedAt: string | null;
  errorMessage: string | null;
  /** The failed scenes by reason (`refused`, `overloaded_error`, …), with their positions (0-based). */
  failures: Array<{ type: string; positions: number[] }>;
}

const HOUR_MS = 3_600_000;
const wholeMs = (ms: number | null | undefined) => (ms == null ? null : Math.round(ms));
export const RECENT_JOBS = 20;

export async function readDashboard(db: Database, now = new Date()): Promise<Dashboard> {
  const hourAgo = new Date(now.getTime() - HOUR_MS);
  const dayAgo = new Date(now.getTime() - 24 * HOUR_MS);
  const midnightUtc = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));

  const [jobsByStatus, [duration], [scenes], [latency], [usage], recent] = await Promise.all([
    db.$queryRaw<Array<{ status: string; count: number }>>`
      SELECT status::text AS status, count(*)::int AS count
        FROM analysis_jobs
       WHERE finished_at > ${hourAgo} AND finished_at <= ${now}
       GROUP BY status`,
    db.$queryRaw<Array<{ seconds: number | null; jobs: number }>>`
      SELECT avg(extract(epoch FROM finished_at - started_at))::float8 AS seconds, count(*)::int AS jobs
        FROM analysis_jobs
       WHERE finished_at > ${dayAgo} AND finished_at <= ${now} AND started_at IS NOT NULL`,
    db.$queryRaw<Array<{ failed: number; finished: number }>>`
      SELECT count(*) FILTER (WHERE status = 'failed')::int AS failed, count(*)::int AS finished
        FROM scene_tasks
       WHERE finished_at > ${hourAgo} AND finished_at <= ${now} AND status IN ('succeeded', 'failed')`,
    db.$queryRaw<Array<{ p50: number | null; p95: number | null; calls: number }>>`
      SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms) AS p50,
             percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms) AS p95,
             count(*)::int AS calls
        FROM scene_summaries
       WHERE created_at > ${hourAgo} AND created_at <= ${now}`,
    db.$queryRaw<Array<{ input: number; output: number; cost: number; calls: number; unpriced: number }>>`
      SELECT coalesce(sum(input_tokens + cache_read_tokens + cache_write_tokens), 0)::float8 AS input,
             coalesce(sum(output_tokens), 0)::float8 AS output,
             coalesce(sum(cost_usd), 0)::float8 AS cost,
             count(*)::int AS calls,
             count(*) FILTER (WHERE cost_usd IS NULL)::int AS unpriced
        FROM scene_summaries
       WHERE created_at >= ${midnightUtc} AND created_at <= ${now}`,
    db.analysisJob.findMany({ orderBy: { createdAt: 'desc' }, take: RECENT_JOBS, include: { script: { select: { title: true } } } }),
  ]);

  const failures = await failedScenesOf(db, recent.map((job) => job.id));
  return {
    jobsLastHour: {
      total: jobsByStatus.reduce((sum, row) => sum + row.count, 0),
      byStatus: Object.fromEntries(jobsByStatus.map((row) => [row.status, row.count])),
    },
    averageJobSeconds: { value: duration?.seconds ?? null, jobs: duration?.jobs ?? 0 },
    sceneFailureRate: {
      value: scenes?.finished ? scenes.failed / scenes.finished : null,
      failed: scenes?.failed ?? 0,
      finished: scenes?.finished ?? 0,
    },
    modelLatencyMs: { p50: wholeMs(latency?.p50), p95: wholeMs(latency?.p95), calls: latency?.calls ?? 0 },
    usageToday: {
      inputTokens: usage?.input ?? 0,
      outputTokens: usage?.output ?? 0,
      costUsd: usage?.cost ?? 0,
      calls: usage?.calls ?? 0,
      unpricedCalls: usage?.unpriced ?? 0,
    },
    recentJobs: recent.map((job) => ({
      id: job.id,
      scriptTitle: job.script.title,
      status: job.status,
      mode: job.mode,
      totalScenes: job.totalScenes,
      succeeded: job.succeeded,
      failed: job.failed,
      cancelled: job.cancelled,
      skipped: job.skipped,
      durationSeconds: job.startedAt ? ((job.finishedAt ?? now).getTime() - job.startedAt.getTime()) / 1_000 : null,
      createdAt: job.createdAt.toISOString(),
      finishedAt: job.finishedAt?.toISOString() ?? null,
      errorMessage: job.errorMessage,
      failures: failures.get(job.id) ?? [],
    })),
  };
}

/** Which scenes of these jobs failed, and why, so the status page can say it. */
async function failedScenesOf(db: Database, jobIds: string[]): Promise<Map<string, RecentJob['failures']>> {
  if (jobIds.length === 0) return new Map();
  const rows = await db.$queryRaw<Array<{ job_id: string; type: string; positions: number[] }>>`
    SELECT job_id::text, coalesce(error_type, 'unknown') AS type, array_agg(position ORDER BY position) AS positions
      FROM scene_tasks
     WHERE job_id = ANY(${jobIds}::uuid[]) AND status = 'failed'
     GROUP BY job_id, error_type
     ORDER BY job_id, count(*) DESC, type`;
  const byJob = new Map<string, RecentJob['failures']>();
  for (const row of rows) byJob.set(row.job_id, [...(byJob.get(row.job_id) ?? []), { type: row.type, positions: row.positions }]);
  return byJob;
}
