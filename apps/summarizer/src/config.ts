import { anthropicEnv } from '@scenewise/model-config';
import { envPieces, natsEnv, natsSettings, parseEnv } from '@scenewise/service-runtime';
import { z } from 'zod';

export const configSchema = z.object({
  ...natsEnv,
  ...anthropicEnv,
  DATABASE_URL: envPieces.databaseUrl,
  LOG_LEVEL: envPieces.logLevel,
  LOG_PRETTY: envPieces.flag,
  PORT: envPieces.port(3003),
  HOST: z.string().default('0.0.0.0'),
  /** Scenes this instance summarizes at once. Claude calls wait on the network, not the CPU, so many. */
  SUMMARIZER_CONCURRENCY: z.coerce.number().int().min(1).max(1_000).default(64),
  /** Claude calls per scene before it is failed (the first call included). */
  SUMMARIZER_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(8),
  /** Milliseconds before the first retry; doubles per attempt (with jitter) up to 30 s, unless the server sends retry-after. */
  SUMMARIZER_RETRY_BASE_MS: z.coerce.number().int().min(1).max(60_000).default(1_000),
  /** Milliseconds one Claude call may take. */
  CLAUDE_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(600_000).default(60_000),
  CLAUDE_MAX_OUTPUT_TOKENS: z.coerce.number().int().min(64).max(8_192).default(1_024),
});

export type Config = ReturnType<typeof loadConfig>;

export function loadConfig(env: Record<string, string | undefined>) {
  const e = parseEnv(configSchema, env);
  return {
    nats: natsSettings(e),
    databaseUrl: e.DATABASE_URL,
    log: { level: e.LOG_LEVEL, pretty: e.LOG_PRETTY },
    http: { port: e.PORT, host: e.HOST },
    anthropic: { apiKey: e.ANTHROPIC_API_KEY, baseUrl: e.ANTHROPIC_BASE_URL, timeoutMs: e.CLAUDE_TIMEOUT_MS },
    concurrency: e.SUMMARIZER_CONCURRENCY,
    maxAttempts: e.SUMMARIZER_MAX_ATTEMPTS,
    retryBaseMs: e.SUMMARIZER_RETRY_BASE_MS,
    maxOutputTokens: e.CLAUDE_MAX_OUTPUT_TOKENS,
  };
}
