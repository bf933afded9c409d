import { anthropicEnv, loadModelSelection } from '@scenewise/model-config';
import { envPieces, natsEnv, natsSettings, parseEnv } from '@scenewise/service-runtime';
import { z } from 'zod';

export const configSchema = z.object({
  ...natsEnv,
  ...anthropicEnv,
  DATABASE_URL: envPieces.databaseUrl,
  LOG_LEVEL: envPieces.logLevel,
  LOG_PRETTY: envPieces.flag,
  PORT: envPieces.port(3001),
  HOST: z.string().default('0.0.0.0'),
  /** Services that must have a live instance for the pipeline to work. */
  HEALTH_REQUIRED_SERVICES: z.string().default('api,orchestrator,summarizer'),
  /** Seconds a Models API answer is trusted before the model is checked again. */
  MODEL_CHECK_TTL_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
});

export type Config = ReturnType<typeof loadConfig>;

export function loadConfig(env: Record<string, string | undefined>) {
  const e = parseEnv(configSchema, env);
  return {
    nats: natsSettings(e),
    databaseUrl: e.DATABASE_URL,
    log: { level: e.LOG_LEVEL, pretty: e.LOG_PRETTY },
    http: { port: e.PORT, host: e.HOST },
    anthropic: { apiKey: e.ANTHROPIC_API_KEY, baseUrl: e.ANTHROPIC_BASE_URL, timeoutMs: 5_000 },
    models: loadModelSelection(env),
    modelCheckTtlMs: e.MODEL_CHECK_TTL_SECONDS * 1_000,
    requiredServices: e.HEALTH_REQUIRED_SERVICES.split(',').map((s) => s.trim()).filter(Boolean),
  };
}
