import { Subject } from '@scenewise/contracts';
import type { AnalysisJob, Database, JobMode } from '@scenewise/db';
import type { MessageBus } from '@scenewise/messaging';
import type { Logger } from '@scenewise/telemetry';
import { ApiError } from './http-errors';

export interface AnalysisRequest {
  scriptId: string;
  mode: JobMode;
  force: boolean;
  parentJobId?: string;
  traceId: string | undefined;
  /** Stored with the job, so a retried request finds it instead of queueing a second one. */
  idempotency?: { key: string; requestHash: string } | undefined;
}

/** The 202 body for a queued job; a replayed request gets the same, rebuilt from the row. */
export function acceptedView(job: Pick<AnalysisJob, 'id' | 'traceId'>, jaegerUiUrl: string) {
  return {
    jobId: job.id,
    status: 'queued' as const,
    links: {
      self: `/api/jobs/${job.id}`,
      ...(job.traceId ? { trace: `${jaegerUiUrl}/trace/${job.traceId}` } : {}),
    },
  };
}

/**
 * Records a queued job and asks the orchestrator to run it. If NATS cannot take the request
 * the job is marked failed (never left queued forever) and the client gets a 503.
 */
export async function queueAnalysis(
  deps: { db: Database; bus: MessageBus; logger: Logger; jaegerUiUrl: string },
  request: AnalysisRequest,
) {
  const job = await deps.db.analysisJob.create({
    data: {
      scriptId: request.scriptId,
      mode: request.mode,
      force: request.force,
      parentJobId: request.parentJobId,
      modelRole: 'sceneSummary',
      traceId: request.traceId,
      idempotencyKey: request.idempotency?.key,
      idempotencyRequestHash: request.idempotency?.requestHash,
    },
  });
  try {
    await deps.bus.publish(
      Subject.analysisRequested,
      { jobId: job.id, scriptId: job.scriptId, mode: job.mode, requestedAt: job.createdAt.toISOString() },
      { msgId: job.id },
    );
  } catch (err) {
    deps.logger.error({ err, jobId: job.id }, 'could not queue the analysis');
    // The idempotency key is freed: the client got a 503, and its retry must queue a job.
    await deps.db.analysisJob.update({
      where: { id: job.id },
      data: {
        status: 'failed',
        errorType: 'queue_unavailable',
        errorMessage: 'the job could not be queued',
        finishedAt: new Date(),
        idempotencyKey: null,
        idempotencyRequestHash: null,
      },
    });
    throw new ApiError(503, 'queue_unavailable', 'the job queue is not reachable right now; try again shortly');
  }
  deps.logger.info({ jobId: job.id, scriptId: job.scriptId, mode: job.mode, parentJobId: request.parentJobId }, 'analysis requested');
  return acceptedView(job, deps.jaegerUiUrl);
}
