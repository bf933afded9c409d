import type { SceneResult } from '@scenewise/contracts';
import type { Database } from '@scenewise/db';
import type { Logger } from '@scenewise/telemetry';
import type { JobFolder } from '../job-folder';
import { failJob } from '../job-store';
import { logJobEnd } from '../progress';

export interface SceneResultDeps {
  db: Database;
  folder: JobFolder;
  logger: Logger;
  /**
   * Stores a result's outcome on its task, resolving with whether it moved the task; results
   * arriving together are written together (`recordSceneResults` behind a `WriteBatcher`).
   */
  record: (result: SceneResult) => Promise<boolean>;
}

/**
 * Stores one scene's outcome on its task (the durable part: the message is acknowledged
 * after it, so a failed write brings it back) and asks for the job to be folded. A job-wide
 * error stops the job at once.
 */
export function createSceneResultHandler(deps: SceneResultDeps) {
  return async function handleSceneResult(result: SceneResult): Promise<void> {
    if (result.error?.jobFatal) {
      // End the job before its last task turns terminal, so a concurrent fold cannot close
      // it as partially_failed in between.
      const stopped = await failJob(deps.db, result.jobId, {
        type: result.error.type,
        message: `stopped after a scene failed with ${result.error.type} (model ${result.model}): ${result.error.message}`,
      });
      if (stopped) {
        void deps.folder.request(result.jobId).then((job) => job && logJobEnd(deps.logger.child({ jobId: job.id }), job));
      }
    }
    const moved = await deps.record(result);
    // A redelivered result moved nothing: no scene outcome to announce again.
    const scene =
      moved && result.position !== undefined
        ? {
            taskId: result.taskId,
            sceneId: result.sceneId,
            position: result.position,
            outcome: result.outcome,
            ...(result.error ? { errorType: result.error.type } : {}),
          }
        : undefined;
    void deps.folder.request(result.jobId, scene);
  };
}
