import { anthropicEnv, loadModelSelection } from '@scenewise/model-config';
import { parseEnv, serviceEnv, serviceSettings } from '@scenewise/service-runtime';
import { z } from 'zod';

export const configSchema = z.object({
  ...serviceEnv(3001),
  ...anthropicEnv,
  /** Services that must have a live instance for the pipeline to work. */
  HEALTH_REQUIRED_SERVICES: z.string().default('api,orchestrator,summarizer'),
  /** Seconds a Models API answer is trusted before the model is checked again. */
  MODEL_CHECK_TTL_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
});

export type Config = ReturnType<typeof loadConfig>;

export function loadConfig(env: Record<string, string | undefined>) {
  const e = parseEnv(configSchema, env);
  return {
    ...serviceSettings(e),
    anthropic: { apiKey: e.ANTHROPIC_API_KEY, baseUrl: e.ANTHROPIC_BASE_URL, timeoutMs: 5_000 },
    models: loadModelSelection(env),
    modelCheckTtlMs: e.MODEL_CHECK_TTL_SECONDS * 1_000,
    requiredServices: e.HEALTH_REQUIRED_SERVICES.split(',').map((s) => s.trim()).filter(Boolean),
  };
}
