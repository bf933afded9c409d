import { describe, expect, it } from 'vitest';
import { RateLimiter, type RateLimits } from './rate-limiter';

const unlimited: RateLimits = { requestsPerMinute: null, inputTokensPerMinute: null, outputTokensPerMinute: null };

function clock(start = Date.parse('2026-01-01T00:00:00Z')) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('RateLimiter', () => {
  it('admits up to the requests per minute, then says when a request will fit again', () => {
    const c = clock();
    const limiter = new RateLimiter({ ...unlimited, requestsPerMinute: 3 }, c.now);
    expect([limiter.admit(10), limiter.admit(10), limiter.admit(10)].every((a) => a.ok)).toBe(true);
    const refused = limiter.admit(10);
    // 3 per minute refill one request every 20 s.
    expect(refused).toEqual({ ok: false, limit: 'requests', capacity: 3, retryAfterSeconds: 20, retryAfterMs: 20_000 });
    expect(limiter.headers()['anthropic-ratelimit-requests-remaining']).toBe('0');
    c.advance(19_000);
    expect(limiter.admit(10)).toMatchObject({ ok: false, retryAfterSeconds: 1 });
    c.advance(1_000);
    expect(limiter.admit(10).ok).toBe(true);
  });

  it('limits input tokens by the size of the request', () => {
    const c = clock();
    const limiter = new RateLimiter({ ...unlimited, inputTokensPerMinute: 1000 }, c.now);
    expect(limiter.admit(800).ok).toBe(true);
    expect(limiter.admit(300)).toMatchObject({ ok: false, limit: 'input-tokens', retryAfterSeconds: 6 });
    expect(limiter.admit(200).ok).toBe(true);
  });

  it('charges output after the answer and refuses while the bucket is in debt', () => {
    const c = clock();
    const limiter = new RateLimiter({ ...unlimited, outputTokensPerMinute: 600 }, c.now);
    expect(limiter.admit(1).ok).toBe(true);
    limiter.recordOutput(900);
    expect(limiter.admit(1)).toMatchObject({ ok: false, limit: 'output-tokens' });
    c.advance(31_000);
    expect(limiter.admit(1).ok).toBe(true);
  });

  it('reports every limit in the anthropic-ratelimit headers with RFC 3339 resets', () => {
    const c = clock();
    const limiter = new RateLimiter({ requestsPerMinute: 60, inputTokensPerMinute: 1000, outputTokensPerMinute: 500 }, c.now);
    limiter.admit(100);
    limiter.recordOutput(450);
    const h = limiter.headers();
    expect(h['anthropic-ratelimit-requests-limit']).toBe('60');
    expect(h['anthropic-ratelimit-requests-remaining']).toBe('59');
    expect(h['anthropic-ratelimit-requests-reset']).toBe('2026-01-01T00:00:01Z');
    expect(h['anthropic-ratelimit-input-tokens-remaining']).toBe('900');
    expect(h['anthropic-ratelimit-output-tokens-remaining']).toBe('50');
    expect(h['anthropic-ratelimit-output-tokens-reset']).toBe('2026-01-01T00:00:54Z');
    expect(h['anthropic-ratelimit-tokens-remaining']).toBe('50');
  });

  it('never refuses when no limit is set, and applies new limits with a full bucket', () => {
    const c = clock();
    const limiter = new RateLimiter(unlimited, c.now);
    for (let i = 0; i < 1000; i++) expect(limiter.admit(10_000).ok).toBe(true);
    limiter.setLimits({ ...unlimited, requestsPerMinute: 1 });
    expect(limiter.admit(1).ok).toBe(true);
    expect(limiter.admit(1).ok).toBe(false);
    limiter.reset();
    expect(limiter.admit(1).ok).toBe(true);
  });
});
