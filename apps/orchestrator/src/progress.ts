import { type JobProgress, Subject } from '@scenewise/contracts';
import type { AnalysisJob } from '@scenewise/db';
import type { MessageBus } from '@scenewise/messaging';
import { type Logger, pipelineMetrics } from '@scenewise/telemetry';
import { estimateEtaSeconds } from './job-status';

/** Best effort: progress is for people watching; the job row is the truth. */
export async function publishProgress(
  bus: MessageBus,
  job: AnalysisJob,
  logger: Logger,
  scene?: JobProgress['scene'],
): Promise<void> {
  const counts = { total: job.totalScenes, succeeded: job.succeeded, failed: job.failed, cancelled: job.cancelled, skipped: job.skipped };
  const elapsedMs = job.startedAt ? Date.now() - job.startedAt.getTime() : 0;
  await bus
    .publish(Subject.jobProgress, {
      jobId: job.id,
      status: job.status,
      ...counts,
      etaSeconds: job.finishedAt ? 0 : estimateEtaSeconds(counts, elapsedMs),
      at: new Date().toISOString(),
      ...(scene ? { scene } : {}),
    })
    .catch((err: unknown) => logger.debug({ err, jobId: job.id }, 'progress not published'));
}

/** The one line a person reads when a job ends, and the job metrics. */
export function logJobEnd(logger: Logger, job: AnalysisJob): void {
  const durationMs = job.finishedAt && job.startedAt ? job.finishedAt.getTime() - job.startedAt.getTime() : null;
  pipelineMetrics().jobsFinished.add(1, { status: job.status });
  if (durationMs !== null) pipelineMetrics().jobDuration.record(durationMs / 1000, { status: job.status });
  const level = job.status === 'succeeded' ? 'info' : 'warn';
  logger[level](
    {
      jobId: job.id,
      status: job.status,
      total: job.totalScenes,
      succeeded: job.succeeded,
      failed: job.failed,
      cancelled: job.cancelled,
      skipped: job.skipped,
      durationMs,
      inputTokens: job.inputTokens,
      outputTokens: job.outputTokens,
      costUsd: Number(job.costUsd.toFixed(6)),
      errorType: job.errorType ?? undefined,
    },
    `job ${job.status}${job.errorMessage ? `: ${job.errorMessage}` : ''}`,
  );
}

/** What happens after every fold: progress for watchers (one message per scene outcome), and the end line. */
export function announceFold(bus: MessageBus, logger: Logger) {
  return async (job: AnalysisJob, ended: boolean, scenes: Array<NonNullable<JobProgress['scene']>>): Promise<void> => {
    const log = logger.child({ jobId: job.id });
    // Published together, in order: one socket write for the fold's messages, not one each.
    if (scenes.length === 0) await publishProgress(bus, job, log);
    else await Promise.all(scenes.map((scene) => publishProgress(bus, job, log, scene)));
    if (ended) logJobEnd(log, job);
  };
}
