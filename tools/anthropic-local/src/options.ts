import { z } from 'zod';
import type { FaultRates } from './faults';

export interface FaultSettings extends FaultRates {
  /** Seconds in the `retry-after` of an injected 429 (and ×1000 in its `retry-after-ms`). @default 1 */
  retryAfterSeconds: number;
  /**
   * `x-should-retry` on every error answer of /v1/messages and /v1/messages/count_tokens,
   * injected or not, instead of the API's own (true for 429, 500, 529; false otherwise).
   * @default null (the API's own)
   */
  shouldRetry: boolean | null;
}

/** A model served in addition to the catalogue of @scenewise/model-config. */
export interface ExtraModel {
  id: string;
  /** @default [] */
  aliases?: string[];
  /** @default the id */
  displayName?: string;
  /** RFC 3339. @default "1970-01-01T00:00:00Z" */
  createdAt?: string;
}

/** The server's behaviour; every field can be changed while it runs. */
export interface LocalConfig {
  /** Fixed delay before each answer from the model, in ms. @default 0 */
  latencyMs: number;
  /** Up to this many ms more, drawn from the seeded PRNG. @default 0 */
  jitterMs: number;
  /** Fault rates (0..1, summing to at most 1). @default all 0 */
  faults: FaultSettings;
  /** Requests per minute; null for no limit. @default null */
  requestsPerMinute: number | null;
  /** Estimated input tokens per minute; null for no limit. @default null */
  inputTokensPerMinute: number | null;
  /** Output tokens per minute; null for no limit. @default null */
  outputTokensPerMinute: number | null;
  /** Answer every message with 429 enforced_spend_limit_reached. @default false */
  spendLimitReached: boolean;
  /** Estimated input tokens above which a request is "prompt is too long". @default 200000 */
  maxInputTokens: number;
  /** Request bodies larger than this get 413 request_too_large. @default 33554432 (32 MB) */
  maxRequestBytes: number;
  /** Seed of the PRNG behind faults, jitter and oversize answers. @default 1 */
  seed: number;
  /** When set, `x-api-key` must match it. @default null (any key) */
  apiKey: string | null;
  /** IDs or aliases to answer 404 for, besides the retired models of @scenewise/model-config. @default [] */
  retiredModels: string[];
  /** Models to serve besides the current ones. @default [] */
  extraModels: ExtraModel[];
  /**
   * Share (0..1) of structured answers (formats, forced tools) that break the caps a client may
   * keep: strings 3x a hinted maxLength (4,000 characters without one), arrays 3x a hinted
   * maxItems (100 items without one), as far as max_tokens leaves room. Drawn per request from
   * the seed. @default 0
   */
  oversizeRate: number;
  /**
   * When the last user message contains this text, the answer is a refusal (HTTP 200,
   * stop_reason "refusal"); null never refuses. The default survives a screenplay parser as
   * ordinary scene text. @default "REFUSAL-TRIGGER"
   */
  refusalMarker: string | null;
}

/** A partial config; `faults` is merged field by field. */
export type ConfigPatch = Partial<Omit<LocalConfig, 'faults'>> & { faults?: Partial<FaultSettings> };

export const defaultConfig: LocalConfig = {
  latencyMs: 0,
  jitterMs: 0,
  faults: { rateLimit: 0, apiError: 0, overloaded: 0, hang: 0, retryAfterSeconds: 1, shouldRetry: null },
  requestsPerMinute: null,
  inputTokensPerMinute: null,
  outputTokensPerMinute: null,
  spendLimitReached: false,
  maxInputTokens: 200_000,
  maxRequestBytes: 32 * 1024 * 1024,
  seed: 1,
  apiKey: null,
  retiredModels: [],
  extraModels: [],
  oversizeRate: 0,
  refusalMarker: 'REFUSAL-TRIGGER',
};

const rate = z.number().min(0).max(1);
const perMinute = z.number().int().positive().nullable();
const faultsShape = z.strictObject({
  rateLimit: rate,
  apiError: rate,
  overloaded: rate,
  hang: rate,
  retryAfterSeconds: z.number().int().min(0),
  shouldRetry: z.boolean().nullable(),
});

const configShape = z.strictObject({
  latencyMs: z.number().int().min(0),
  jitterMs: z.number().int().min(0),
  faults: faultsShape,
  requestsPerMinute: perMinute,
  inputTokensPerMinute: perMinute,
  outputTokensPerMinute: perMinute,
  spendLimitReached: z.boolean(),
  maxInputTokens: z.number().int().positive(),
  maxRequestBytes: z.number().int().positive(),
  seed: z.number().int(),
  apiKey: z.string().min(1).nullable(),
  retiredModels: z.array(z.string().min(1)),
  extraModels: z.array(
    z.strictObject({
      id: z.string().min(1),
      aliases: z.array(z.string().min(1)).optional(),
      displayName: z.string().min(1).optional(),
      createdAt: z.iso.datetime({ offset: true }).optional(),
    }),
  ),
  oversizeRate: rate,
  refusalMarker: z.string().min(1).nullable(),
});

const configSchema = configShape.refine(
  (c) => c.faults.rateLimit + c.faults.apiError + c.faults.overloaded + c.faults.hang <= 1 + 1e-9,
  { message: 'fault rates must sum to at most 1', path: ['faults'] },
) satisfies z.ZodType<LocalConfig>;

const patchSchema = configShape.extend({ faults: faultsShape.partial() }).partial() satisfies z.ZodType<ConfigPatch>;

export class InvalidConfigError extends Error {
  constructor(
    message: string,
    /** Each bad key with its problem, e.g. "faults.hang: Too big: expected number to be <=1". */
    readonly problems: string[],
  ) {
    super(message);
    this.name = 'InvalidConfigError';
  }
}

function fail(error: z.ZodError): never {
  const problems = error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
  throw new InvalidConfigError(`invalid config: ${problems.join('; ')}`, problems);
}

/** Validates a patch (from options or the control API) and merges it into `current`. */
export function mergeConfig(current: LocalConfig, patch: unknown): LocalConfig {
  const parsedPatch = patchSchema.safeParse(patch ?? {});
  if (!parsedPatch.success) fail(parsedPatch.error);
  const { faults, ...rest } = parsedPatch.data;
  const merged = configSchema.safeParse({ ...current, ...rest, faults: { ...current.faults, ...faults } });
  if (!merged.success) fail(merged.error);
  return merged.data;
}
