import type { AnalysisCancel } from '@scenewise/contracts';
import type { Database } from '@scenewise/db';
import type { Logger } from '@scenewise/telemetry';
import type { JobFolder } from '../job-folder';
import { logJobEnd } from '../progress';

export interface AnalysisCancelDeps {
  db: Database;
  folder: JobFolder;
  logger: Logger;
}

/** Cancels a job: scenes not yet started are never sent; scenes in flight finish and are kept. */
export function createAnalysisCancelHandler(deps: AnalysisCancelDeps) {
  return async function handleAnalysisCancel(request: AnalysisCancel): Promise<void> {
    const log = deps.logger.child({ jobId: request.jobId });
    const now = new Date();
    const { count } = await deps.db.analysisJob.updateMany({
      where: { id: request.jobId, status: { in: ['queued', 'running'] } },
      data: { status: 'cancelled', errorType: 'cancelled', errorMessage: request.reason, finishedAt: now },
    });
    if (count === 0) return;
    await deps.db.sceneTask.updateMany({
      where: { jobId: request.jobId, status: 'queued' },
      data: { status: 'cancelled', errorType: 'cancelled', errorMessage: request.reason, finishedAt: now },
    });
    const job = await deps.folder.request(request.jobId);
    if (job) logJobEnd(log, job);
  };
}
