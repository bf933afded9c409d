import { describe, expect, it } from 'vitest';
import { readRateLimitHeaders } from './rate-limit-headers';

describe('readRateLimitHeaders', () => {
  it('reads each limit that has both its limit and remaining headers', () => {
    const headers = new Headers({
      'anthropic-ratelimit-requests-limit': '600',
      'anthropic-ratelimit-requests-remaining': '12',
      'anthropic-ratelimit-requests-reset': '2026-11-29T12:00:00Z',
      'anthropic-ratelimit-input-tokens-limit': '400000',
      'anthropic-ratelimit-input-tokens-remaining': '399000',
      'anthropic-ratelimit-output-tokens-limit': '80000',
      // no remaining: not read
      'anthropic-ratelimit-tokens-limit': '480000',
      'anthropic-ratelimit-tokens-remaining': '1',
    });
    expect(readRateLimitHeaders(headers)).toEqual({
      requests: { capacity: 600, remaining: 12 },
      inputTokens: { capacity: 400_000, remaining: 399_000 },
    });
  });

  it('leaves out what it cannot read, and never reports more remaining than the limit', () => {
    const headers = new Headers({
      'anthropic-ratelimit-requests-limit': 'lots',
      'anthropic-ratelimit-requests-remaining': '5',
      'anthropic-ratelimit-input-tokens-limit': '0',
      'anthropic-ratelimit-input-tokens-remaining': '0',
      'anthropic-ratelimit-output-tokens-limit': '100',
      'anthropic-ratelimit-output-tokens-remaining': '250',
    });
    expect(readRateLimitHeaders(headers)).toEqual({ outputTokens: { capacity: 100, remaining: 100 } });
    expect(readRateLimitHeaders(undefined)).toEqual({});
    expect(readRateLimitHeaders(new Headers())).toEqual({});
  });
});
