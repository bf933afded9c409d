import { anthropicEnv, loadModelSelection } from '@scenewise/model-config';
import { envPieces, natsEnv, natsSettings, parseEnv } from '@scenewise/service-runtime';
import { z } from 'zod';

export const configSchema = z.object({
  ...natsEnv,
  ...anthropicEnv,
  DATABASE_URL: envPieces.databaseUrl,
  LOG_LEVEL: envPieces.logLevel,
  LOG_PRETTY: envPieces.flag,
  PORT: envPieces.port(3002),
  HOST: z.string().default('0.0.0.0'),
  /** Seconds a Models API answer is trusted before the model is checked again. */
  MODEL_CHECK_TTL_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
  /** Scene results folded into job state at once. */
  ORCHESTRATOR_RESULT_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
});

export type Config = ReturnType<typeof loadConfig>;

export function loadConfig(env: Record<string, string | undefined>) {
  const e = parseEnv(configSchema, env);
  return {
    nats: natsSettings(e),
    databaseUrl: e.DATABASE_URL,
    log: { level: e.LOG_LEVEL, pretty: e.LOG_PRETTY },
    http: { port: e.PORT, host: e.HOST },
    anthropic: { apiKey: e.ANTHROPIC_API_KEY, baseUrl: e.ANTHROPIC_BASE_URL, timeoutMs: 10_000 },
    models: loadModelSelection(env),
    modelCheckTtlMs: e.MODEL_CHECK_TTL_SECONDS * 1_000,
    resultConcurrency: e.ORCHESTRATOR_RESULT_CONCURRENCY,
  };
}
