import { z } from 'zod';

/**
 * JetStream key-value buckets: state the instances of a service share. Declared here, beside
 * the streams, with the schema of what each key holds; both the writer and the reader parse.
 */
export interface BucketDefinition {
  name: string;
  /** Keys not written for this long disappear. */
  ttlMs: number;
  history: number;
}

const MINUTE = 60_000;

export const Bucket = {
  /**
   * The summarizers' shared picture of Anthropic's rate limits, one key per model
   * (`model.<id>`): what is left of each limit and when, written with compare-and-set.
   */
  rateBudgets: { name: 'RATE_BUDGETS', ttlMs: 15 * MINUTE, history: 1 },
} as const satisfies Record<string, BucketDefinition>;

export type BucketKey = keyof typeof Bucket;

const LimitStateSchema = z.object({
  capacity: z.number().positive(),
  level: z.number(),
  at: z.number().nonnegative(),
});

export const RateBudgetSchema = z.object({
  limits: z.object({
    requests: LimitStateSchema.optional(),
    inputTokens: LimitStateSchema.optional(),
    outputTokens: LimitStateSchema.optional(),
  }),
  observedAt: z.number().nonnegative(),
});

export type RateBudget = z.infer<typeof RateBudgetSchema>;
