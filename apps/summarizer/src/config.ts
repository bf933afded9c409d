import { claudeTaskEnv, claudeTaskSettings } from '@scenewise/claude';
import { anthropicEnv } from '@scenewise/model-config';
import { envPieces, parseEnv, serviceEnv, serviceSettings } from '@scenewise/service-runtime';
import { z } from 'zod';

export const configSchema = z.object({
  ...serviceEnv(3003),
  ...anthropicEnv,
  ...claudeTaskEnv,
  /**
   * Scenes this instance summarizes at once. Claude calls wait on the network, not the CPU, so
   * many: as many as a job dispatches at once (JOB_DISPATCH_WINDOW), so one instance can put a
   * whole window in flight and a job of that size takes one call's latency.
   */
  SUMMARIZER_CONCURRENCY: z.coerce.number().int().min(1).max(2_000).default(256),
  /** Claude calls per scene before it is failed (the first call included). */
  SUMMARIZER_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(8),
  /** Milliseconds before the first retry; doubles per attempt (with jitter) up to 30 s, unless the server sends retry-after. */
  SUMMARIZER_RETRY_BASE_MS: z.coerce.number().int().min(1).max(60_000).default(1_000),
  /** Milliseconds one Claude call may take. */
  CLAUDE_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(600_000).default(60_000),
  /**
   * Pace Claude calls by the `anthropic-ratelimit-*` headers, sharing one budget with every other
   * instance (NATS KV). Off: calls go out at once and 429s are waited out one by one.
   */
  SUMMARIZER_RATE_PACING: envPieces.flagOn,
});

export type Config = ReturnType<typeof loadConfig>;

export function loadConfig(env: Record<string, string | undefined>) {
  const e = parseEnv(configSchema, env);
  return {
    ...serviceSettings(e),
    anthropic: { apiKey: e.ANTHROPIC_API_KEY, baseUrl: e.ANTHROPIC_BASE_URL, timeoutMs: e.CLAUDE_TIMEOUT_MS },
    concurrency: e.SUMMARIZER_CONCURRENCY,
    claude: { ...claudeTaskSettings(e), maxAttempts: e.SUMMARIZER_MAX_ATTEMPTS, retryBaseMs: e.SUMMARIZER_RETRY_BASE_MS },
    ratePacing: e.SUMMARIZER_RATE_PACING,
  };
}
