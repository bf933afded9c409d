import type { SceneResult } from '@scenewise/contracts';
import type { AnalysisJob, Database } from '@scenewise/db';
import { decideTerminalStatus, type TaskCounts } from './job-status';

export type JobWithCounts = AnalysisJob;

/**
 * Moves one task to its outcome. Only a task that is not yet terminal moves, so a
 * redelivered result changes nothing; returns whether this call moved it.
 */
export async function recordSceneResult(db: Database, result: SceneResult): Promise<boolean> {
  const { count } = await db.sceneTask.updateMany({
    where: { id: result.taskId, jobId: result.jobId, status: { in: ['queued', 'running'] } },
    data: {
      status: result.outcome,
      attempts: result.attempts,
      summaryId: result.summaryId ?? null,
      errorType: result.error?.type ?? null,
      errorMessage: result.error?.message ?? null,
      finishedAt: new Date(result.finishedAt),
    },
  });
  if (count === 1 && result.usage) {
    await db.analysisJob.update({
      where: { id: result.jobId },
      data: {
        inputTokens: { increment: result.usage.inputTokens + result.usage.cacheReadTokens + result.usage.cacheWriteTokens },
        outputTokens: { increment: result.usage.outputTokens },
        costUsd: { increment: result.costUsd ?? 0 },
      },
    });
  }
  return count === 1;
}

/**
 * Recounts the job's tasks and, once all are terminal, ends a running job with the status
 * they add up to. The job row is locked for the recount so concurrent folds cannot write
 * stale counts. Returns the job and whether this call ended it.
 */
export async function foldJobCounts(db: Database, jobId: string): Promise<{ job: AnalysisJob; ended: boolean }> {
  return db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM analysis_jobs WHERE id = ${jobId}::uuid FOR UPDATE`;
    const groups = await tx.sceneTask.groupBy({ by: ['status'], where: { jobId }, _count: { _all: true } });
    const count = (status: string) => groups.find((g) => g.status === status)?._count._all ?? 0;
    const counts: TaskCounts = {
      total: groups.reduce((sum, g) => sum + g._count._all, 0),
      succeeded: count('succeeded'),
      failed: count('failed'),
      cancelled: count('cancelled'),
      skipped: count('skipped'),
    };
    const current = await tx.analysisJob.findUniqueOrThrow({ where: { id: jobId } });
    const allDone = counts.succeeded + counts.failed + counts.cancelled + counts.skipped === counts.total;
    const ends = current.status === 'running' && allDone;
    const job = await tx.analysisJob.update({
      where: { id: jobId },
      data: {
        totalScenes: counts.total,
        succeeded: counts.succeeded,
        failed: counts.failed,
        cancelled: counts.cancelled,
        skipped: counts.skipped,
        ...(ends ? { status: decideTerminalStatus(counts), finishedAt: new Date() } : {}),
      },
    });
    return { job, ended: ends };
  });
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
