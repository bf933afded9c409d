import { createLogger } from '@scenewise/telemetry';
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { identifyCaller, requireCaller } from './auth';
import { errorHandler } from './http-errors';
import { rateLimiter } from './rate-limit';

const logger = createLogger({ service: 'rate-limit-test', level: 'silent' });
const keys = ['first-key-0123456789abcdef', 'second-key-0123456789abcdef'];

function app(apiKeys: string[], perMinute: number) {
  const a = express();
  a.set('trust proxy', true); // lets a test pose as several client IPs
  a.use('/api', identifyCaller(apiKeys), rateLimiter({ perMinute, logger }), requireCaller(logger));
  a.get('/api/ping', (_req, res) => void res.json({ ok: true }));
  a.use(errorHandler(logger));
  return a;
}

describe('rate limit', () => {
  it('allows the limit per key, then answers 429 with Retry-After and the RateLimit headers', async () => {
    const a = app(keys, 3);
    const first = await request(a).get('/api/ping').set('authorization', `Bearer ${keys[0]}`).expect(200);
    expect(first.headers).toMatchObject({ 'ratelimit-limit': '3', 'ratelimit-remaining': '2', 'x-ratelimit-limit': '3', 'x-ratelimit-remaining': '2' });
    expect(first.headers['ratelimit-policy']).toBe('3;w=60');
    await request(a).get('/api/ping').set('authorization', `Bearer ${keys[0]}`).expect(200);
    await request(a).get('/api/ping').set('x-api-key', keys[0]!).expect(200);
    const limited = await request(a).get('/api/ping').set('authorization', `Bearer ${keys[0]}`).expect(429);
    expect(limited.body.error).toEqual({ type: 'rate_limited', message: expect.stringMatching(/at most 3 a minute; try again in \d+ seconds/) });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers['ratelimit-remaining']).toBe('0');
    // Another key has its own allowance.
    await request(a).get('/api/ping').set('authorization', `Bearer ${keys[1]}`).expect(200);
  });

  it('counts per client IP when the API is open, and refused requests count too', async () => {
    const open = app([], 2);
    for (let i = 0; i < 2; i++) await request(open).get('/api/ping').set('x-forwarded-for', '203.0.113.7').expect(200);
    await request(open).get('/api/ping').set('x-forwarded-for', '203.0.113.7').expect(429);
    await request(open).get('/api/ping').set('x-forwarded-for', '203.0.113.8').expect(200);

    const keyed = app(keys, 2);
    for (let i = 0; i < 2; i++) await request(keyed).get('/api/ping').set('authorization', 'Bearer wrong-wrong-wrong-wrong').expect(401);
    await request(keyed).get('/api/ping').set('authorization', 'Bearer wrong-wrong-wrong-wrong').expect(429);
    await request(keyed).get('/api/ping').set('authorization', `Bearer ${keys[0]}`).expect(200);
  });

  it('is off at 0: no limit, no headers', async () => {
    const a = app(keys, 0);
    for (let i = 0; i < 5; i++) {
      const response = await request(a).get('/api/ping').set('authorization', `Bearer ${keys[0]}`).expect(200);
      expect(response.headers['ratelimit-limit']).toBeUndefined();
    }
  });
});
