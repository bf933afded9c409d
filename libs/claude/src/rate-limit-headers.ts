/** The three limits Anthropic reports per request (the combined `tokens-*` headers add nothing). */
export const limitNames = ['requests', 'inputTokens', 'outputTokens'] as const;
export type LimitName = (typeof limitNames)[number];

export interface LimitReading {
  /** The bucket's size: what the limit allows per minute. */
  capacity: number;
  /** What the bucket held when the server admitted the request. */
  remaining: number;
}

export type RateLimitReading = Partial<Record<LimitName, LimitReading>>;

const headerPrefix: Record<LimitName, string> = {
  requests: 'anthropic-ratelimit-requests',
  inputTokens: 'anthropic-ratelimit-input-tokens',
  outputTokens: 'anthropic-ratelimit-output-tokens',
};

const count = (value: string | null): number | undefined => {
  if (value === null || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
};

/**
 * Reads `anthropic-ratelimit-{requests,input-tokens,output-tokens}-{limit,remaining}`. A limit
 * with either header missing or unreadable is left out: pacing never guesses a limit.
 */
export function readRateLimitHeaders(headers: Pick<Headers, 'get'> | undefined): RateLimitReading {
  const reading: RateLimitReading = {};
  if (!headers) return reading;
  for (const name of limitNames) {
    const capacity = count(headers.get(`${headerPrefix[name]}-limit`));
    const remaining = count(headers.get(`${headerPrefix[name]}-remaining`));
    if (capacity !== undefined && capacity > 0 && remaining !== undefined) {
      reading[name] = { capacity, remaining: Math.min(remaining, capacity) };
    }
  }
  return reading;
}
