import { composeServiceEnv } from '@scenewise/service-runtime/testing';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config';

describe('api config', () => {
  it('runs on defaults: open (no API keys), 600 requests a minute', () => {
    expect(loadConfig({})).toMatchObject({
      http: { port: 3000 },
      nats: { servers: 'nats://127.0.0.1:4222', namespace: '' },
      auth: { apiKeys: [] },
      rateLimit: { perMinute: 600 },
    });
  });

  it('stops on a bad value, naming the variable', () => {
    expect(() => loadConfig({ MAX_SCENES: 'lots' })).toThrow(/MAX_SCENES/);
    expect(() => loadConfig({ RATE_LIMIT_PER_MINUTE: '-1' })).toThrow(/RATE_LIMIT_PER_MINUTE/);
  });

  it('reads API_KEYS as a comma-separated list, ignoring blanks and spaces around keys', () => {
    const a = 'a'.repeat(16);
    const b = 'key-B_0123456789abcdef';
    expect(loadConfig({ API_KEYS: ` ${a}, ,${b},` }).auth.apiKeys).toEqual([a, b]);
    expect(loadConfig({ API_KEYS: '' }).auth.apiKeys).toEqual([]);
    expect(loadConfig({ RATE_LIMIT_PER_MINUTE: '0' }).rateLimit.perMinute).toBe(0);
  });

  it('refuses a short or unprintable key, naming API_KEYS and never echoing a key', () => {
    const good = 'good-key-0123456789';
    for (const bad of ['short-key', 'with space 0123456789', 'naïve-0123456789abc']) {
      let message = '';
      try {
        loadConfig({ API_KEYS: `${good},${bad}` });
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).toMatch(/API_KEYS/);
      expect(message).not.toContain(bad);
      expect(message).not.toContain(good);
    }
  });

  it('gets everything it needs from docker-compose.yml', () => {
    expect(loadConfig(composeServiceEnv('api'))).toMatchObject({ http: { port: 3000 }, nats: { servers: 'nats://nats:4222' } });
  });
});
