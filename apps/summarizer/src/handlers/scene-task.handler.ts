import type Anthropic from '@anthropic-ai/sdk';
import { type SceneResult, type SceneTask, Subject } from '@scenewise/contracts';
import { type Database, WriteBatcher } from '@scenewise/db';
import type { MessageBus, MessageContext } from '@scenewise/messaging';
import { costUsd } from '@scenewise/model-config';
import { type Logger, pipelineMetrics } from '@scenewise/telemetry';
import { type CallPacing, summarizeScene } from '../summarize-scene';
import { cancelQueuedTasks, claimAttempt, claimTasks, type SummaryToStore, storeSummaries, taskIsRunnable } from '../task-store';

export interface SceneTaskDeps {
  db: Database;
  bus: MessageBus;
  client: Anthropic;
  logger: Logger;
  maxAttempts: number;
  retryBaseMs: number;
  maxOutputTokens: number;
  sleep?: (ms: number) => Promise<void>;
  /** Shared turn-taking under the rate limits; absent, calls go out as soon as they can. */
  pacing?: CallPacing;
}

/** At most this many claims (or stores) in one statement, waiting at most this long for company. */
const WRITE_BATCH = { maxItems: 64, maxDelayMs: 2 };

/**
 * Summarizes one scene: claim the task, call Claude (with bounded retries), store the
 * summary, publish the outcome. The bus acknowledges the task only after this returns,
 * that is after the outcome is stored; a crash before that means redelivery, not a hole.
 */
export function createSceneTaskHandler(deps: SceneTaskDeps) {
  const metrics = pipelineMetrics();
  // Tasks arrive, and their calls end, many at a time: claims and stores made together are one
  // statement each, and a task is acknowledged only after the statement holding its write.
  const claims = new WriteBatcher((taskIds: string[]) => claimTasks(deps.db, taskIds), WRITE_BATCH);
  const stores = new WriteBatcher((items: SummaryToStore[]) => storeSummaries(deps.db, items), WRITE_BATCH);

  return async function handleSceneTask(task: SceneTask, ctx: MessageContext): Promise<void> {
    const started = performance.now();
    metrics.scenesInFlight.add(1);
    try {
      const outcome = await summarizeAndReport(task, ctx);
      if (outcome) metrics.sceneDuration.record((performance.now() - started) / 1000, { outcome });
    } finally {
      metrics.scenesInFlight.add(-1);
    }
  };

  /** Returns the outcome it reported, or undefined when the task was skipped. */
  async function summarizeAndReport(task: SceneTask, ctx: MessageContext): Promise<'succeeded' | 'failed' | undefined> {
    const log = deps.logger.child({ jobId: task.jobId, taskId: task.taskId, sceneId: task.sceneId, position: task.position });
    const publishResult = (result: Omit<SceneResult, 'jobId' | 'taskId' | 'sceneId' | 'position' | 'model' | 'finishedAt'>) =>
      deps.bus.publish(
        Subject.sceneResult,
        {
          jobId: task.jobId,
          taskId: task.taskId,
          sceneId: task.sceneId,
          position: task.position,
          model: task.model,
          finishedAt: new Date().toISOString(),
          ...result,
        },
        { msgId: `result-${task.taskId}` },
      );

    const claim = await claims.add(task.taskId);
    if (!claim) {
      log.info('scene task cancelled before its Claude call; skipped');
      return undefined;
    }
    if (claim.storedSummary) {
      // An earlier delivery stored the summary and died before reporting it: no second call.
      log.info('redelivered task already has its summary; reporting it');
      await publishResult({ outcome: 'succeeded', attempts: ctx.deliveryCount, summaryId: claim.storedSummary.id, latencyMs: claim.storedSummary.latencyMs });
      return 'succeeded';
    }

    const outcome = await summarizeScene(
      deps.client,
      { model: task.model, text: task.text },
      {
        maxAttempts: deps.maxAttempts,
        retryBaseMs: deps.retryBaseMs,
        maxTokens: deps.maxOutputTokens,
        // The first attempt was claimed above; a long wait for its turn is worth a second look.
        beforeAttempt: (attempt, waitedForTurnMs) =>
          attempt > 1 ? claimAttempt(deps.db, task.taskId) : waitedForTurnMs < 1_000 ? Promise.resolve(true) : taskIsRunnable(deps.db, task.taskId),
        sleep: deps.sleep,
        pacing: deps.pacing,
        logger: log,
      },
    );

    if (outcome.status === 'cancelled') {
      log.info({ attempts: outcome.attempts }, 'scene task cancelled before its Claude call; skipped');
      return undefined;
    }

    if (outcome.status === 'succeeded') {
      const { summary } = outcome;
      const cost = costUsd(summary.responseModel, summary.usage) ?? costUsd(task.model, summary.usage);
      const summaryId = await stores.add({ task, result: summary, costUsd: cost });
      if (cost !== null) metrics.costUsd.add(cost, { 'gen_ai.request.model': task.model });
      await publishResult({
        outcome: 'succeeded',
        attempts: outcome.attempts,
        summaryId,
        usage: summary.usage,
        costUsd: cost,
        latencyMs: summary.latencyMs,
      });
      log.info(
        { outcome: 'succeeded', model: summary.responseModel, latencyMs: summary.latencyMs, attempts: outcome.attempts, inputTokens: summary.usage.inputTokens, outputTokens: summary.usage.outputTokens, costUsd: cost },
        'scene summarized',
      );
      return 'succeeded';
    }

    const { error } = outcome;
    if (error.jobFatal) {
      const cancelled = await cancelQueuedTasks(deps.db, task.jobId, `stopped after ${error.type}: ${error.message}`);
      log.error({ errorType: error.type, cancelledTasks: cancelled }, 'job-wide error; the job\'s remaining scenes are cancelled');
    }
    await publishResult({
      outcome: 'failed',
      attempts: outcome.attempts,
      error: { type: error.type, message: error.message.slice(0, 2_000), httpStatus: error.httpStatus, jobFatal: error.jobFatal },
    });
    log.warn(
      { outcome: 'failed', model: task.model, attempts: outcome.attempts, errorType: error.type, httpStatus: error.httpStatus },
      `scene failed: ${error.message}`,
    );
    return 'failed';
  }
}
