import type Anthropic from '@anthropic-ai/sdk';
import { type CallPacing, type ClaudeTaskOptions, runClaudeTask, sceneSummaryRequest } from '@scenewise/claude';
import { type SceneResult, type SceneTask, Subject } from '@scenewise/contracts';
import { type Database, WriteBatcher } from '@scenewise/db';
import type { MessageBus, MessageContext } from '@scenewise/messaging';
import { type Logger, pipelineMetrics } from '@scenewise/telemetry';
import { cancelQueuedTasks, claimAttempt, claimTasks, type SummaryToStore, storeSummaries, taskIsRunnable } from '../task-store';

export interface SceneTaskDeps {
  db: Database;
  bus: MessageBus;
  client: Anthropic;
  logger: Logger;
  /** Attempts, tokens, structured outputs, backoff: everything about the call but the task itself. */
  claude: Pick<ClaudeTaskOptions, 'maxAttempts' | 'maxTokens' | 'maxTokensCap' | 'structuredOutputs' | 'retryBaseMs' | 'sleep'>;
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

    const request = sceneSummaryRequest(task, { structuredOutputs: deps.claude.structuredOutputs ?? true });
    const outcome = await runClaudeTask(deps.client, request, {
      ...deps.claude,
      // The first attempt was claimed above; a long wait for its turn is worth a second look.
      beforeAttempt: (attempt, waitedForTurnMs) =>
        attempt > 1 ? claimAttempt(deps.db, task.taskId) : waitedForTurnMs < 1_000 ? Promise.resolve(true) : taskIsRunnable(deps.db, task.taskId),
      pacing: deps.pacing,
      logger: log,
    });

    if (outcome.status === 'cancelled') {
      log.info({ attempts: outcome.attempts }, 'scene task cancelled before its Claude call; skipped');
      return undefined;
    }

    if (outcome.status === 'succeeded') {
      const { output, usage, latencyMs, costUsd: cost } = outcome;
      const summaryId = await stores.add({ task, result: { output, usage, latencyMs }, costUsd: cost });
      if (cost !== null) metrics.costUsd.add(cost, { 'gen_ai.request.model': task.model });
      await publishResult({ outcome: 'succeeded', attempts: outcome.attempts, summaryId, usage, costUsd: cost, latencyMs });
      log.info(
        { outcome: 'succeeded', model: outcome.responseModel, latencyMs, attempts: outcome.attempts, inputTokens: usage.inputTokens, outputTokens: usage.outputTokens, costUsd: cost, requestIds: outcome.requestIds },
        'scene summarized',
      );
      return 'succeeded';
    }

    const { error } = outcome;
    if (error.jobFatal) {
      const cancelled = await cancelQueuedTasks(deps.db, task.jobId, `stopped after ${error.type}: ${error.message}`);
      log.error({ errorType: error.type, cancelledTasks: cancelled }, 'job-wide error; the job\'s remaining scenes are cancelled');
    }
    // A failed scene's answers were paid for too (a refusal, a cut-off answer).
    if (outcome.costUsd) metrics.costUsd.add(outcome.costUsd, { 'gen_ai.request.model': task.model });
    await publishResult({
      outcome: 'failed',
      attempts: outcome.attempts,
      usage: outcome.usage,
      costUsd: outcome.costUsd,
      error: { type: error.type, message: error.message.slice(0, 2_000), httpStatus: error.httpStatus, jobFatal: error.jobFatal },
    });
    log.warn(
      { outcome: 'failed', model: task.model, attempts: outcome.attempts, errorType: error.type, httpStatus: error.httpStatus, requestId: error.requestId, requestIds: outcome.requestIds },
      `scene failed: ${error.message}`,
    );
    return 'failed';
  }
}
