import type { SceneResult } from '@scenewise/contracts';
import type { Database } from '@scenewise/db';
import type { MessageBus } from '@scenewise/messaging';
import type { Logger } from '@scenewise/telemetry';
import { failJob, foldJobCounts, recordSceneResult } from '../job-store';
import { logJobEnd, publishProgress } from '../progress';

export interface SceneResultDeps {
  db: Database;
  bus: MessageBus;
  logger: Logger;
}

/** Folds one scene's outcome into its job; a job-wide error stops the job at once. */
export function createSceneResultHandler(deps: SceneResultDeps) {
  return async function handleSceneResult(result: SceneResult): Promise<void> {
    const log = deps.logger.child({ jobId: result.jobId, taskId: result.taskId, sceneId: result.sceneId });
    let stopped = false;
    if (result.error?.jobFatal) {
      // End the job before its last task turns terminal, so a concurrent fold cannot close
      // it as partially_failed in between.
      stopped = await failJob(deps.db, result.jobId, {
        type: result.error.type,
        message: `stopped after a scene failed with ${result.error.type} (model ${result.model}): ${result.error.message}`,
      });
    }
    const moved = await recordSceneResult(deps.db, result);
    const { job, ended } = await foldJobCounts(deps.db, result.jobId);
    // A redelivered result moved nothing: no scene outcome to announce again.
    const task = moved ? await deps.db.sceneTask.findUnique({ where: { id: result.taskId }, select: { position: true } }) : null;
    const scene = task && {
      taskId: result.taskId,
      sceneId: result.sceneId,
      position: task.position,
      outcome: result.outcome,
      ...(result.error ? { errorType: result.error.type } : {}),
    };
    await publishProgress(deps.bus, job, log, scene ?? undefined);
    if (ended || stopped) logJobEnd(log, job);
  };
}
