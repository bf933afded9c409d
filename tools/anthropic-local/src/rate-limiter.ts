/** Per-minute limits; null means not enforced. */
export interface RateLimits {
  requestsPerMinute: number | null;
  inputTokensPerMinute: number | null;
  outputTokensPerMinute: number | null;
}

export type LimitName = 'requests' | 'input-tokens' | 'output-tokens';

export type Admission =
  | { ok: true }
  | { ok: false; limit: LimitName; capacity: number; retryAfterSeconds: number; retryAfterMs: number };

// What the headers report for a limit that is not enforced: large, but still a number that
// clients which throttle themselves on "remaining" can parse.
const nominalCapacity: Record<LimitName, number> = {
  requests: 1_000_000,
  'input-tokens': 1_000_000_000,
  'output-tokens': 1_000_000_000,
};

const minuteMs = 60_000;

/**
 * A token bucket refilled continuously at capacity per minute, as Anthropic describes its own
 * limits. Tokens may go negative when a call uses more output than was left.
 */
class TokenBucket {
  private tokens: number;

  constructor(
    readonly capacity: number,
    readonly enforced: boolean,
    private updatedAt: number,
  ) {
    this.tokens = capacity;
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.updatedAt);
    this.tokens = Math.min(this.capacity, this.tokens + (elapsed * this.capacity) / minuteMs);
    this.updatedAt = now;
  }

  remaining(now: number): number {
    this.refill(now);
    return Math.max(0, Math.floor(this.tokens));
  }

  /** Milliseconds until `amount` tokens are available (a request above capacity waits for a full bucket). */
  waitMs(amount: number, now: number): number {
    this.refill(now);
    const needed = Math.min(amount, this.capacity);
    if (!this.enforced || this.tokens >= needed) return 0;
    return ((needed - this.tokens) * minuteMs) / this.capacity;
  }

  take(amount: number, now: number): void {
    this.refill(now);
    this.tokens -= amount;
    if (!this.enforced) this.tokens = Math.max(0, this.tokens);
  }

  /** When the bucket will be full again. */
  fullAt(now: number): number {
    this.refill(now);
    return now + ((this.capacity - this.tokens) * minuteMs) / this.capacity;
  }
}

// The epsilon keeps floating-point refill error from rounding 1.000000001 s up to 2 s.
const retryAfterSeconds = (waitMs: number): number => Math.max(1, Math.ceil(waitMs / 1000 - 1e-6));

const toRfc3339 = (ms: number): string =>
  new Date(Math.ceil(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

export class RateLimiter {
  private buckets!: Record<LimitName, TokenBucket>;

  constructor(
    private limits: RateLimits,
    private readonly now: () => number = Date.now,
  ) {
    this.reset();
  }

  /** Applies new limits; a limit whose value changed starts with a full bucket. */
  setLimits(limits: RateLimits): void {
    const previous = this.limits;
    this.limits = limits;
    const fresh = this.createBuckets();
    for (const name of Object.keys(fresh) as LimitName[]) {
      if (this.limitOf(name, previous) === this.limitOf(name, limits)) fresh[name] = this.buckets[name];
    }
    this.buckets = fresh;
  }

  /** Refills every bucket. */
  reset(): void {
    this.buckets = this.createBuckets();
  }

  /** Admits a request (taking one request and its input tokens) or says which limit it hit. */
  admit(inputTokens: number): Admission {
    const now = this.now();
    const checks: [LimitName, number][] = [
      ['requests', 1],
      ['input-tokens', inputTokens],
      // Output is charged after the answer, so a bucket in debt blocks the next request.
      ['output-tokens', 1],
    ];
    for (const [name, amount] of checks) {
      const bucket = this.buckets[name];
      const waitMs = bucket.waitMs(amount, now);
      if (waitMs > 0) {
        return { ok: false, limit: name, capacity: bucket.capacity, retryAfterSeconds: retryAfterSeconds(waitMs), retryAfterMs: Math.max(1, Math.ceil(waitMs)) };
      }
    }
    this.buckets.requests.take(1, now);
    this.buckets['input-tokens'].take(inputTokens, now);
    return { ok: true };
  }

  recordOutput(outputTokens: number): void {
    this.buckets['output-tokens'].take(outputTokens, this.now());
  }

  /** The `anthropic-ratelimit-*` headers for the current state. */
  headers(): Record<string, string> {
    const now = this.now();
    const headers: Record<string, string> = {};
    for (const name of ['requests', 'input-tokens', 'output-tokens'] as const) {
      const bucket = this.buckets[name];
      headers[`anthropic-ratelimit-${name}-limit`] = String(bucket.capacity);
      headers[`anthropic-ratelimit-${name}-remaining`] = String(bucket.remaining(now));
      headers[`anthropic-ratelimit-${name}-reset`] = toRfc3339(bucket.fullAt(now));
    }
    // The combined "tokens" headers report whichever token limit is most restrictive.
    const input = this.buckets['input-tokens'];
    const output = this.buckets['output-tokens'];
    const tightest = output.remaining(now) < input.remaining(now) ? 'output-tokens' : 'input-tokens';
    for (const suffix of ['limit', 'remaining', 'reset']) {
      headers[`anthropic-ratelimit-tokens-${suffix}`] = headers[`anthropic-ratelimit-${tightest}-${suffix}`]!;
    }
    return headers;
  }

  private limitOf(name: LimitName, limits: RateLimits): number | null {
    if (name === 'requests') return limits.requestsPerMinute;
    return name === 'input-tokens' ? limits.inputTokensPerMinute : limits.outputTokensPerMinute;
  }

  private createBuckets(): Record<LimitName, TokenBucket> {
    const now = this.now();
    const bucket = (name: LimitName) => {
      const limit = this.limitOf(name, this.limits);
      return new TokenBucket(limit ?? nominalCapacity[name], limit !== null, now);
    };
    return { requests: bucket('requests'), 'input-tokens': bucket('input-tokens'), 'output-tokens': bucket('output-tokens') };
  }
}
