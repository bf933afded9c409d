import { z } from 'zod';
import type { AnthropicLocalOptions } from './server';

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());
const int = (min: number) => optional(z.coerce.number().int().min(min));
const rate = optional(z.coerce.number().min(0).max(1));
const bool = optional(z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1'));
const list = optional(z.string().transform((v) => v.split(',').map((s) => s.trim()).filter((s) => s !== '')));

/** Flat environment keys of the CLI; every one is optional. */
export const envSchema = z
  .object({
    ANTHROPIC_LOCAL_PORT: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).max(65535).default(4010)),
    ANTHROPIC_LOCAL_HOST: z.preprocess(blankToUndefined, z.string().default('127.0.0.1')),
    ANTHROPIC_LOCAL_LATENCY_MS: int(0), // fixed delay per answer
    ANTHROPIC_LOCAL_JITTER_MS: int(0), // up to this much more, seeded
    ANTHROPIC_LOCAL_RPM: int(1),
    ANTHROPIC_LOCAL_INPUT_TPM: int(1),
    ANTHROPIC_LOCAL_OUTPUT_TPM: int(1),
    ANTHROPIC_LOCAL_FAULT_429: rate, // 0..1 chance per request
    ANTHROPIC_LOCAL_FAULT_500: rate,
    ANTHROPIC_LOCAL_FAULT_529: rate,
    ANTHROPIC_LOCAL_FAULT_HANG: rate,
    ANTHROPIC_LOCAL_FAULT_RETRY_AFTER_S: int(0),
    ANTHROPIC_LOCAL_FAULT_SHOULD_RETRY: bool, // x-should-retry on every error answer; unset: the API's own
    ANTHROPIC_LOCAL_SPEND_LIMIT: bool,
    ANTHROPIC_LOCAL_MAX_INPUT_TOKENS: int(1),
    ANTHROPIC_LOCAL_MAX_REQUEST_BYTES: int(1),
    ANTHROPIC_LOCAL_SEED: optional(z.coerce.number().int()),
    ANTHROPIC_LOCAL_API_KEY: optional(z.string()),
    ANTHROPIC_LOCAL_RETIRED: list, // comma-separated IDs or aliases
    ANTHROPIC_LOCAL_EXTRA_MODELS: list, // comma-separated IDs
    ANTHROPIC_LOCAL_OVERSIZE_RATE: rate, // share of structured answers that break hinted caps
    ANTHROPIC_LOCAL_REFUSAL_MARKER: optional(z.string()), // text that makes the model refuse
  })
  .superRefine((env, ctx) => {
    const sum = (env.ANTHROPIC_LOCAL_FAULT_429 ?? 0) + (env.ANTHROPIC_LOCAL_FAULT_500 ?? 0) + (env.ANTHROPIC_LOCAL_FAULT_529 ?? 0) + (env.ANTHROPIC_LOCAL_FAULT_HANG ?? 0);
    if (sum > 1 + 1e-9) ctx.addIssue({ code: 'custom', path: ['ANTHROPIC_LOCAL_FAULT_*'], message: `fault rates sum to ${sum}, more than 1` });
  });

export interface Config {
  host: string;
  port: number;
  server: AnthropicLocalOptions;
}

/** Reads the CLI's config; throws one line naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid environment: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  const defined = <T extends object>(o: T): Partial<T> =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
  return {
    host: e.ANTHROPIC_LOCAL_HOST,
    port: e.ANTHROPIC_LOCAL_PORT,
    server: defined({
      latencyMs: e.ANTHROPIC_LOCAL_LATENCY_MS,
      jitterMs: e.ANTHROPIC_LOCAL_JITTER_MS,
      requestsPerMinute: e.ANTHROPIC_LOCAL_RPM,
      inputTokensPerMinute: e.ANTHROPIC_LOCAL_INPUT_TPM,
      outputTokensPerMinute: e.ANTHROPIC_LOCAL_OUTPUT_TPM,
      faults: defined({
        rateLimit: e.ANTHROPIC_LOCAL_FAULT_429,
        apiError: e.ANTHROPIC_LOCAL_FAULT_500,
        overloaded: e.ANTHROPIC_LOCAL_FAULT_529,
        hang: e.ANTHROPIC_LOCAL_FAULT_HANG,
        retryAfterSeconds: e.ANTHROPIC_LOCAL_FAULT_RETRY_AFTER_S,
        shouldRetry: e.ANTHROPIC_LOCAL_FAULT_SHOULD_RETRY,
      }),
      spendLimitReached: e.ANTHROPIC_LOCAL_SPEND_LIMIT,
      maxInputTokens: e.ANTHROPIC_LOCAL_MAX_INPUT_TOKENS,
      maxRequestBytes: e.ANTHROPIC_LOCAL_MAX_REQUEST_BYTES,
      seed: e.ANTHROPIC_LOCAL_SEED,
      apiKey: e.ANTHROPIC_LOCAL_API_KEY,
      retiredModels: e.ANTHROPIC_LOCAL_RETIRED,
      extraModels: e.ANTHROPIC_LOCAL_EXTRA_MODELS?.map((id) => ({ id })),
      oversizeRate: e.ANTHROPIC_LOCAL_OVERSIZE_RATE,
      refusalMarker: e.ANTHROPIC_LOCAL_REFUSAL_MARKER,
    }),
  };
}
