import { Subject } from '@scenewise/contracts';
import type { Database } from '@scenewise/db';
import type { MessageBus } from '@scenewise/messaging';
import type { Logger } from '@scenewise/telemetry';
import type { JobFolder } from './job-folder';
import { failJob } from './job-store';
import { logJobEnd } from './progress';
import { sceneTaskMessage, taskToPublish } from './task-dispatch';

export interface ReconcilerSettings {
  /** A queued or running task with no sign of life for this long is re-sent. */
  taskStallMs: number;
  /** Re-sends before a stalled task is failed. */
  maxResends: number;
  /** A running job is ended, with a reason, this long after it started. */
  jobDeadlineMs: number;
  /** A job still queued after this long has its request re-sent (the message was lost). */
  queuedJobStallMs: number;
}

export interface ReconcileReport {
  resentTasks: number;
  failedTasks: number;
  expiredJobs: number;
  resentJobs: number;
}

/**
 * Finds work that would otherwise hang silently — a task whose message was lost or whose
 * worker vanished, a job past its deadline, a request that never arrived — and re-sends or
 * ends it with a reason. Several orchestrators may run it at once: every change is a
 * conditional update on what was read, so only one of them acts on each row.
 */
export async function reconcileOnce(
  deps: { db: Database; bus: MessageBus; folder: JobFolder; logger: Logger },
  settings: ReconcilerSettings,
): Promise<ReconcileReport> {
  const { db } = deps;
  const report: ReconcileReport = { resentTasks: 0, failedTasks: 0, expiredJobs: 0, resentJobs: 0 };
  {
    const touchedJobs = new Set<string>();
    const now = Date.now();

    const expired = await db.analysisJob.findMany({
      where: { status: 'running', startedAt: { lt: new Date(now - settings.jobDeadlineMs) } },
      select: { id: true },
    });
    const expiredIds = new Set<string>();
    for (const { id } of expired) {
      const message = `the job did not finish within its deadline of ${Math.round(settings.jobDeadlineMs / 60_000)} min`;
      if (!(await failJob(db, id, { type: 'deadline_exceeded', message }))) continue;
      await db.sceneTask.updateMany({
        where: { jobId: id, status: 'running' },
        data: { status: 'failed', errorType: 'deadline_exceeded', errorMessage: message, finishedAt: new Date() },
      });
      touchedJobs.add(id);
      expiredIds.add(id);
      report.expiredJobs++;
    }

    // A queued task still waiting in PostgreSQL for room in its job's dispatch window is not
    // stalled: its clock starts when it is published.
    const stalled = await db.sceneTask.findMany({
      where: {
        OR: [{ status: 'running' }, { status: 'queued', dispatchedAt: { not: null } }],
        updatedAt: { lt: new Date(now - settings.taskStallMs) },
        job: { status: 'running' },
      },
      include: { scene: true, job: { select: { id: true, scriptId: true, modelRole: true, resolvedModel: true } } },
      take: 500,
    });
    for (const task of stalled) {
      touchedJobs.add(task.jobId);
      // Only the instance whose update matches what it read acts on the task.
      const unchanged = { id: task.id, status: task.status, resends: task.resends, updatedAt: task.updatedAt };
      if (task.resends >= settings.maxResends) {
        const { count } = await db.sceneTask.updateMany({
          where: unchanged,
          data: {
            status: 'failed',
            errorType: 'stalled',
            errorMessage: `no worker finished this scene after ${task.resends} re-sends, ${Math.round(settings.taskStallMs / 1000)} s apart`,
            finishedAt: new Date(),
          },
        });
        report.failedTasks += count;
        continue;
      }
      const { count } = await db.sceneTask.updateMany({ where: unchanged, data: { resends: { increment: 1 } } });
      if (count === 0) continue;
      await deps.bus.publish(
        Subject.sceneSummarize,
        sceneTaskMessage(task.job, taskToPublish(task)),
        // A new id: the original publish is inside the de-duplication window.
        { msgId: `${task.id}:resend:${task.resends + 1}` },
      );
      report.resentTasks++;
    }

    const queued = await db.analysisJob.findMany({
      where: { status: 'queued', updatedAt: { lt: new Date(now - settings.queuedJobStallMs) } },
      take: 100,
    });
    for (const job of queued) {
      const { count } = await db.analysisJob.updateMany({
        where: { id: job.id, status: 'queued', updatedAt: job.updatedAt },
        data: { updatedAt: new Date() },
      });
      if (count === 0) continue;
      await deps.bus.publish(
        Subject.analysisRequested,
        { jobId: job.id, scriptId: job.scriptId, mode: job.mode, requestedAt: job.createdAt.toISOString() },
        { msgId: `${job.id}:resend:${Date.now()}` },
      );
      report.resentJobs++;
    }

    // A running job with nothing published left to finish gets no more results to fold:
    // either all its tasks are done but the last fold was lost (a crash between storing the
    // last outcome and folding it), or its window's top-up was. Folding it ends it or
    // publishes its next window.
    const unfolded = await db.$queryRaw<Array<{ id: string }>>`
      SELECT j.id FROM analysis_jobs j
       WHERE j.status = 'running' AND j.updated_at < ${new Date(now - 10_000)}
         AND NOT EXISTS (SELECT 1 FROM scene_tasks t
                          WHERE t.job_id = j.id
                            AND (t.status = 'running' OR (t.status = 'queued' AND t.dispatched_at IS NOT NULL)))
       LIMIT 100`;
    for (const { id } of unfolded) touchedJobs.add(id);

    for (const jobId of touchedJobs) {
      const job = await deps.folder.request(jobId);
      if (job && expiredIds.has(jobId)) logJobEnd(deps.logger.child({ jobId }), job);
    }
    if (report.resentTasks + report.failedTasks + report.expiredJobs + report.resentJobs > 0) {
      deps.logger.warn(report, 'reconciler found stalled work');
    }
    return report;
  }
}

/** Runs `reconcileOnce` every `intervalMs` until stopped. */
export function startReconciler(
  deps: { db: Database; bus: MessageBus; folder: JobFolder; logger: Logger },
  settings: ReconcilerSettings & { intervalMs: number },
): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = reconcileOnce(deps, settings).catch((err: unknown) => deps.logger.warn({ err }, 'reconciler pass failed'));
  }, settings.intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
