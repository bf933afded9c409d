import { anthropicEnv, loadModelSelection } from '@scenewise/model-config';
import { parseEnv, serviceEnv, serviceSettings } from '@scenewise/service-runtime';
import { z } from 'zod';
import { dispatchWindow } from './dispatch-window';

export const configSchema = z.object({
  ...serviceEnv(3002),
  ...anthropicEnv,
  /** Seconds a Models API answer is trusted before the model is checked again. */
  MODEL_CHECK_TTL_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
  /** Seconds between reconciler passes (stalled tasks, lost requests, job deadlines). */
  RECONCILE_INTERVAL_SECONDS: z.coerce.number().min(0.1).max(3_600).default(15),
  /** Seconds without a sign of life before a queued or running scene task is re-sent. */
  TASK_STALL_SECONDS: z.coerce.number().min(1).max(86_400).default(300),
  /** Re-sends of a stalled task before it is failed as `stalled`. */
  TASK_MAX_RESENDS: z.coerce.number().int().min(0).max(100).default(2),
  /** Minutes a job may run before it is ended as `deadline_exceeded`. */
  JOB_DEADLINE_MINUTES: z.coerce.number().min(0.05).max(10_080).default(60),
  /** Seconds a job may stay queued before its request is re-sent. */
  QUEUED_JOB_STALL_SECONDS: z.coerce.number().min(1).max(86_400).default(60),
  /** Scene results handled at once, and the most stored in one statement. */
  ORCHESTRATOR_RESULT_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  /**
   * Scene tasks of one job waiting in the work queue at most (published, not yet taken by a
   * summarizer); the rest wait in PostgreSQL, so a job queued behind a big one waits for at
   * most this many of its scenes. The default publishes a job of up to 256 scenes at once.
   */
  JOB_DISPATCH_WINDOW: z.coerce.number().int().min(1).max(100_000).default(256),
});

export type Config = ReturnType<typeof loadConfig>;

export function loadConfig(env: Record<string, string | undefined>) {
  const e = parseEnv(configSchema, env);
  return {
    ...serviceSettings(e),
    anthropic: { apiKey: e.ANTHROPIC_API_KEY, baseUrl: e.ANTHROPIC_BASE_URL, timeoutMs: 10_000 },
    models: loadModelSelection(env),
    modelCheckTtlMs: e.MODEL_CHECK_TTL_SECONDS * 1_000,
    resultConcurrency: e.ORCHESTRATOR_RESULT_CONCURRENCY,
    dispatchWindow: dispatchWindow(e.JOB_DISPATCH_WINDOW),
    reconciler: {
      intervalMs: e.RECONCILE_INTERVAL_SECONDS * 1_000,
      taskStallMs: e.TASK_STALL_SECONDS * 1_000,
      maxResends: e.TASK_MAX_RESENDS,
      jobDeadlineMs: e.JOB_DEADLINE_MINUTES * 60_000,
      queuedJobStallMs: e.QUEUED_JOB_STALL_SECONDS * 1_000,
    },
  };
}
