import { type SceneTask, Stream, Subject } from '@scenewise/contracts';
import type { AnalysisJob, Database } from '@scenewise/db';
import type { MessageBus } from '@scenewise/messaging';
import type { Logger } from '@scenewise/telemetry';
import type { DispatchWindow } from './dispatch-window';
import { type TaskToPublish, type FoldedJob, foldJobCounts } from './job-store';

export interface TaskDispatchDeps {
  db: Database;
  bus: MessageBus;
  logger: Logger;
}

type JobFields = Pick<AnalysisJob, 'id' | 'scriptId' | 'modelRole' | 'resolvedModel'>;

const PUBLISH_BATCH = 256;

/** A scene task's work-queue message. */
export function sceneTaskMessage(job: JobFields, task: TaskToPublish): SceneTask {
  return {
    jobId: job.id,
    taskId: task.id,
    scriptId: job.scriptId,
    sceneId: task.sceneId,
    position: task.position,
    heading: task.heading,
    text: task.text,
    contentHash: task.contentHash,
    modelRole: job.modelRole,
    model: job.resolvedModel!,
  };
}

/**
 * The orchestrator's fold: job counts and, under the same job row lock, the job's dispatch
 * window topped up; the tasks it claimed are published after the transaction.
 */
export function foldAndDispatch(deps: TaskDispatchDeps, window: DispatchWindow, undispatchedJobs?: Set<string>) {
  return async (jobId: string): Promise<FoldedJob> => {
    const folded = await foldJobCounts(deps.db, jobId, window);
    if (folded.undispatched > 0) undispatchedJobs?.add(jobId);
    else undispatchedJobs?.delete(jobId);
    if (folded.claimed.length > 0) await publishClaimedTasks(deps, folded.job, folded.claimed);
    return folded;
  };
}

/**
 * Refolds, every `intervalMs`, the jobs whose last fold left tasks waiting for room in their
 * window. Summarizers take a window's tasks long before their results come back: without this
 * a job bigger than its window would fan out one window per call latency, however many
 * summarizers wait for work. (Folds of one job are at most one per JobFolder interval.)
 */
export function startWindowRefill(undispatchedJobs: Set<string>, requestFold: (jobId: string) => unknown, intervalMs: number): { stop(): void } {
  const timer = setInterval(() => {
    for (const jobId of undispatchedJobs) requestFold(jobId);
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/**
 * Publishes claimed tasks, message id = task id. A task whose publish failed is handed back
 * (undispatched again) so a later fold publishes it, and the call then fails. Should the
 * process die before this runs, the claimed tasks are published again at start-up
 * (`republishWaitingTasks`) or, at the latest, re-sent by the reconciler as stalled.
 */
export async function publishClaimedTasks(deps: TaskDispatchDeps, job: JobFields, tasks: TaskToPublish[]): Promise<void> {
  const unpublished: string[] = [];
  for (let i = 0; i < tasks.length; i += PUBLISH_BATCH) {
    const batch = tasks.slice(i, i + PUBLISH_BATCH);
    const outcomes = await Promise.allSettled(
      batch.map((task) => deps.bus.publish(Subject.sceneSummarize, sceneTaskMessage(job, task), { msgId: task.id })),
    );
    outcomes.forEach((outcome, at) => outcome.status === 'rejected' && unpublished.push(batch[at]!.id));
  }
  if (unpublished.length === 0) return;
  await deps.db.sceneTask.updateMany({ where: { id: { in: unpublished }, status: 'queued' }, data: { dispatchedAt: null } });
  throw new Error(`${unpublished.length} of ${tasks.length} scene tasks of job ${job.id} could not be published; handed back for the next fold`);
}

/**
 * Publishes again the tasks of running jobs that were claimed but are still waiting for a
 * summarizer: after a crash some may have been claimed and never published. Only tasks
 * claimed within half the work queue's de-duplication window, so the copies of those that
 * were published are dropped by JetStream (same message id), never delivered twice; older
 * ones are the reconciler's (stall re-send). Returns how many were sent.
 */
export async function republishWaitingTasks(deps: TaskDispatchDeps, jobId?: string): Promise<number> {
  const since = new Date(Date.now() - Stream.sceneTasks.duplicateWindowMs / 2);
  // Plain SQL: this runs at every start-up, and a Prisma query plan with two relations costs
  // the idle service several MB for the rest of its life.
  const waiting = await deps.db.$queryRaw<Array<TaskToPublish & JobFields & { jobId: string }>>`
    SELECT t.id, t.scene_id AS "sceneId", t.position, t.content_hash AS "contentHash", s.heading, s.text,
           j.id AS "jobId", j.script_id AS "scriptId", j.model_role AS "modelRole", j.resolved_model AS "resolvedModel"
      FROM scene_tasks t
      JOIN scenes s ON s.id = t.scene_id
      JOIN analysis_jobs j ON j.id = t.job_id
     WHERE t.status = 'queued' AND t.dispatched_at > ${since} AND j.status = 'running'
       AND (${jobId ?? null}::uuid IS NULL OR j.id = ${jobId ?? null}::uuid)
     ORDER BY t.job_id, t.position`;
  for (let i = 0; i < waiting.length; i += PUBLISH_BATCH) {
    await Promise.all(
      waiting
        .slice(i, i + PUBLISH_BATCH)
        .map(({ jobId: id, scriptId, modelRole, resolvedModel, ...task }) =>
          deps.bus.publish(Subject.sceneSummarize, sceneTaskMessage({ id, scriptId, modelRole, resolvedModel }, task), { msgId: task.id }),
        ),
    );
  }
  return waiting.length;
}

/** A stored task with its scene, in the shape its message is built from. */
export function taskToPublish(task: { id: string; sceneId: string; position: number; contentHash: string; scene: { heading: string; text: string } }): TaskToPublish {
  return { id: task.id, sceneId: task.sceneId, position: task.position, contentHash: task.contentHash, heading: task.scene.heading, text: task.scene.text };
}
