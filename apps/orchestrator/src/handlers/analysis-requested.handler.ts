import type { AnalysisRequested } from '@scenewise/contracts';
import type { AnalysisJob, Database } from '@scenewise/db';
import { type MessageBus, type MessageContext, NonRetryableError, RetryLaterError } from '@scenewise/messaging';
import type { ModelSelection, ModelValidator, ModelRole } from '@scenewise/model-config';
import type { Logger } from '@scenewise/telemetry';
import { isTerminal } from '../job-status';
import type { JobFolder } from '../job-folder';
import { failJob } from '../job-store';
import { logJobEnd } from '../progress';
import { selectScenes } from '../scene-selection';
import { republishWaitingTasks } from '../task-dispatch';

export interface AnalysisRequestedDeps {
  db: Database;
  bus: MessageBus;
  folder: JobFolder;
  models: ModelSelection;
  validator: ModelValidator;
  logger: Logger;
}

/** Deliveries of a request while the Models API cannot be reached, before the job fails. */
const MODEL_CHECK_DELIVERIES = 5;

/**
 * Starts a job: checks its model before any Messages call, picks its scenes, creates one task
 * per scene and publishes the first window of them (the fold does, see task-dispatch.ts).
 * Safe to run again for the same job (after a crash mid-fan-out): tasks are unique per job
 * and scene, and publishes are de-duplicated by task id.
 */
export function createAnalysisRequestedHandler(deps: AnalysisRequestedDeps) {
  return async function handleAnalysisRequested(request: AnalysisRequested, ctx: MessageContext): Promise<void> {
    const log = deps.logger.child({ jobId: request.jobId, scriptId: request.scriptId });
    const job = await deps.db.analysisJob.findUnique({ where: { id: request.jobId } });
    if (!job) throw new NonRetryableError(`no job ${request.jobId}: the request does not match a stored job`);
    if (isTerminal(job.status)) return;

    if (job.status === 'queued') {
      const role = job.modelRole as ModelRole;
      const model = deps.models[role];
      if (!model) {
        await endJob(deps, job.id, { type: 'invalid_request', message: `unknown model role ${job.modelRole}` }, log);
        return;
      }
      const check = await deps.validator.check(role, model);
      if (!check.ok && check.reason === 'unreachable') {
        if (ctx.deliveryCount < MODEL_CHECK_DELIVERIES) throw new RetryLaterError(check.message, 2_000 * ctx.deliveryCount);
        await endJob(deps, job.id, { type: 'models_api_unreachable', message: check.message }, log);
        return;
      }
      if (!check.ok) {
        // The seed's incident: a retired model fails the job now, not after 40 doomed calls.
        await deps.db.analysisJob.update({ where: { id: job.id }, data: { model } });
        await endJob(deps, job.id, { type: 'model_unavailable', message: check.message }, log);
        return;
      }
      await fanOut(deps, { ...job, model, resolvedModel: check.resolvedId }, log);
    } else {
      // Running already (a redelivery after a crash): publish again what was claimed before it.
      await republishWaitingTasks(deps, job.id);
    }
    // Publishes the job's first window of tasks, or ends at once a job with nothing to do
    // (a partial run over unchanged scenes). A failed fold means the request comes back.
    if (!(await deps.folder.request(job.id))) throw new Error(`job ${job.id} could not be folded and dispatched yet`);
  };
}

async function fanOut(deps: AnalysisRequestedDeps, job: AnalysisJob & { model: string; resolvedModel: string }, log: Logger) {
  const { selected, skipped } = await selectScenes(deps.db, job, job.resolvedModel);
  const now = new Date();
  await deps.db.$transaction([
    deps.db.sceneTask.createMany({
      data: [
        ...selected.map((s) => ({ jobId: job.id, sceneId: s.id, position: s.position, contentHash: s.contentHash })),
        ...skipped.map((s) => ({
          jobId: job.id,
          sceneId: s.id,
          position: s.position,
          contentHash: s.contentHash,
          status: 'skipped' as const,
          finishedAt: now,
        })),
      ],
      skipDuplicates: true,
    }),
    deps.db.analysisJob.update({
      where: { id: job.id },
      data: {
        status: 'running',
        startedAt: job.startedAt ?? now,
        model: job.model,
        resolvedModel: job.resolvedModel,
        totalScenes: selected.length + skipped.length,
      },
    }),
  ]);
  log.info(
    { model: job.model, resolvedModel: job.resolvedModel, mode: job.mode, scenes: selected.length, skipped: skipped.length },
    'job started',
  );
}

async function endJob(deps: AnalysisRequestedDeps, jobId: string, error: { type: string; message: string }, log: Logger) {
  await failJob(deps.db, jobId, error);
  const job = await deps.folder.request(jobId);
  if (job) logJobEnd(log, job);
}
