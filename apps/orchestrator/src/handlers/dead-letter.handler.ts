import { type DeadLetter, Subject } from '@scenewise/contracts';
import type { Database } from '@scenewise/db';
import type { Logger } from '@scenewise/telemetry';
import type { JobFolder } from '../job-folder';
import { failJob } from '../job-store';
import { logJobEnd } from '../progress';

export interface DeadLetterDeps {
  db: Database;
  folder: JobFolder;
  logger: Logger;
}

function idsIn(payload: string): { jobId?: string; taskId?: string } {
  try {
    const parsed = JSON.parse(payload) as { jobId?: unknown; taskId?: unknown };
    return {
      jobId: typeof parsed.jobId === 'string' ? parsed.jobId : undefined,
      taskId: typeof parsed.taskId === 'string' ? parsed.taskId : undefined,
    };
  } catch {
    return {};
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A message that could never be processed must not leave its job waiting: the scene task it
 * carried (or its job) fails, with the dead letter's reason as the error.
 */
export function createDeadLetterHandler(deps: DeadLetterDeps) {
  return async function handleDeadLetter(letter: DeadLetter): Promise<void> {
    const { jobId, taskId } = idsIn(letter.payload);
    if (!jobId || !UUID.test(jobId)) return; // not ours to settle (no job named)
    const log = deps.logger.child({ jobId, taskId, subject: letter.subject });
    const reason = `message dead-lettered after ${letter.deliveries} deliveries: ${letter.reason}`.slice(0, 2_000);

    if (letter.subject.endsWith(Subject.analysisRequested)) {
      if (!(await failJob(deps.db, jobId, { type: 'dead_lettered', message: reason }))) return;
      log.error(reason);
      const job = await deps.folder.request(jobId);
      if (job) logJobEnd(log, job);
      return;
    } else if (taskId && UUID.test(taskId)) {
      const { count } = await deps.db.sceneTask.updateMany({
        where: { id: taskId, jobId, status: { in: ['queued', 'running'] } },
        data: { status: 'failed', errorType: 'dead_lettered', errorMessage: reason, finishedAt: new Date() },
      });
      if (count === 0) return;
      log.error(reason);
    } else {
      return;
    }
    await deps.folder.request(jobId);
  };
}
