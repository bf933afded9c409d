import type { AnalysisCancel } from '@scenewise/contracts';
import type { Database } from '@scenewise/db';
import type { MessageBus } from '@scenewise/messaging';
import type { Logger } from '@scenewise/telemetry';
import { foldJobCounts } from '../job-store';
import { logJobEnd, publishProgress } from '../progress';

export interface AnalysisCancelDeps {
  db: Database;
  bus: MessageBus;
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
    const { job } = await foldJobCounts(deps.db, request.jobId);
    await publishProgress(deps.bus, job, log);
    logJobEnd(log, job);
  };
}
