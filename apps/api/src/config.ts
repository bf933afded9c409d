import { DEFAULT_MAX_SCENE_CHARS, DEFAULT_MAX_SCENES, DEFAULT_MAX_SCRIPT_BYTES } from '@scenewise/screenplay';
import { parseEnv, serviceEnv, serviceSettings } from '@scenewise/service-runtime';
import { z } from 'zod';

export const configSchema = z.object({
  ...serviceEnv(3000),
  /** Largest request body in bytes; larger uploads get 413. */
  MAX_UPLOAD_BYTES: z.coerce.number().int().min(1_024).max(50 * 1024 * 1024).default(DEFAULT_MAX_SCRIPT_BYTES),
  /** Most scenes one script may have; more get 422. */
  MAX_SCENES: z.coerce.number().int().min(1).max(10_000).default(DEFAULT_MAX_SCENES),
  /** Longest scene, in characters; longer get 422. */
  MAX_SCENE_CHARS: z.coerce.number().int().min(100).max(200_000).default(DEFAULT_MAX_SCENE_CHARS),
  /** Where a job's trace link points. */
  JAEGER_UI_URL: z.url().default('http://localhost:16686'),
  /** Comma-separated bearer keys the API accepts; empty: the API is open (and says so at start-up). */
  API_KEYS: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((key) => key.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[\x21-\x7e]{16,512}$/, 'each key must be 16 to 512 printable ASCII characters, no spaces'))),
  /** Requests per minute per API key (per client IP when the API is open); bursts up to the same. 0: no limit. */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(600),
});

export type Config = ReturnType<typeof loadConfig>;

export function loadConfig(env: Record<string, string | undefined>) {
  const e = parseEnv(configSchema, env);
  return {
    ...serviceSettings(e),
    limits: { maxUploadBytes: e.MAX_UPLOAD_BYTES, maxScenes: e.MAX_SCENES, maxSceneChars: e.MAX_SCENE_CHARS },
    jaegerUiUrl: e.JAEGER_UI_URL.replace(/\/$/, ''),
    auth: { apiKeys: e.API_KEYS },
    rateLimit: { perMinute: e.RATE_LIMIT_PER_MINUTE },
  };
}
