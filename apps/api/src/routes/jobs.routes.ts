import { Subject } from '@scenewise/contracts';
import type { Database } from '@scenewise/db';
import type { MessageBus } from '@scenewise/messaging';
import { activeTraceId, type Logger } from '@scenewise/telemetry';
import { Router } from 'express';
import { z } from 'zod';
import { callerLogger } from '../auth';
import { ApiError, notFound } from '../http-errors';
import { hashRequest, markReplayed, readIdempotency, runIdempotent } from '../idempotency';
import { acceptedView, queueAnalysis } from '../queue-analysis';
import { jobView } from '../views';

export interface JobRoutesDeps {
  db: Database;
  bus: MessageBus;
  logger: Logger;
  jaegerUiUrl: string;
}

const terminal = ['succeeded', 'partially_failed', 'failed', 'cancelled'];

export function jobRoutes(deps: JobRoutesDeps): Router {
  const router = Router();
  const { db } = deps;

  const findJob = async (id: string) => {
    const job = z.uuid().safeParse(id).success ? await db.analysisJob.findUnique({ where: { id } }) : null;
    if (!job) throw notFound('job', id);
    return job;
  };

  router.get('/jobs/:id', async (req, res) => {
    const job = await findJob(req.params.id);
    const tasks = await db.sceneTask.findMany({
      where: { jobId: job.id },
      orderBy: { position: 'asc' },
      include: { scene: { select: { heading: true } } },
    });
    res.json(jobView({ ...job, tasks }, deps.jaegerUiUrl));
  });

  /** Stops a running job: scenes not yet started are cancelled; scenes in flight finish. */
  router.post('/jobs/:id/cancel', async (req, res) => {
    const job = await findJob(req.params.id);
    if (terminal.includes(job.status)) {
      throw new ApiError(409, 'job_finished', `job ${job.id} has already ended (${job.status})`);
    }
    await deps.bus.publish(Subject.analysisCancel, { jobId: job.id, reason: 'cancelled on request' }, { msgId: `cancel-${job.id}` });
    deps.logger.info({ jobId: job.id }, 'job cancellation requested');
    res.status(202).json({ jobId: job.id, status: 'cancelling', links: { self: `/api/jobs/${job.id}` } });
  });

  /** The failed and cancelled scenes of a job that are still in its script (a revision may have removed some). */
  const retryable = (job: { id: string; scriptId: string }) =>
    db.sceneTask.count({ where: { jobId: job.id, status: { in: ['failed', 'cancelled'] }, scene: { scriptId: job.scriptId } } });

  /** A new job for only the scenes that failed or were cancelled in this one. */
  router.post('/jobs/:id/retry-failed', async (req, res) => {
    const job = await findJob(req.params.id);
    const idempotency = readIdempotency(req, res, hashRequest('retry-failed', job.id));
    const { result, replayed } = await runIdempotent(idempotency, {
      find: (key) => db.analysisJob.findUnique({ where: { idempotencyKey: key } }),
      // The parent has ended, so its failed and cancelled scenes are the ones counted then (less any a revision removed since).
      replay: async (retry) => ({ ...acceptedView(retry, deps.jaegerUiUrl), scenes: await retryable(job) }),
      create: async () => {
        if (!terminal.includes(job.status)) {
          throw new ApiError(409, 'job_running', `job ${job.id} is still ${job.status}; retry it once it has ended`);
        }
        const toRetry = await retryable(job);
        if (toRetry === 0) throw new ApiError(409, 'nothing_to_retry', `job ${job.id} has no failed or cancelled scenes that are still in the script`);
        const retry = await queueAnalysis(
          { ...deps, logger: callerLogger(deps.logger, res) },
          { scriptId: job.scriptId, mode: 'retry', force: false, parentJobId: job.id, traceId: activeTraceId(), idempotency },
        );
        return { ...retry, scenes: toRetry };
      },
    });
    markReplayed(res, replayed);
    res.status(202).location(result.links.self).json(result);
  });

  return router;
}
