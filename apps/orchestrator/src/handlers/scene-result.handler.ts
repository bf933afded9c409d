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
    await recordSceneResult(deps.db, result);
    let stopped = false;
    if (result.error?.jobFatal) {
      stopped = await failJob(deps.db, result.jobId, {
        type: result.error.type,
        message: `stopped after a scene failed with ${result.error.type} (model ${result.model}): ${result.error.message}`,
      });
    }
    const { job, ended } = await foldJobCounts(deps.db, result.jobId);
    await publishProgress(deps.bus, job, log);
    if (ended || stopped) logJobEnd(log, job);
  };
}
