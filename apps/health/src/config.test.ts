import { composeServiceEnv } from '@scenewise/service-runtime/testing';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config';

const key = { ANTHROPIC_API_KEY: 'sk-ant-test' };

describe('health config', () => {
  it('runs on defaults once it has an Anthropic key', () => {
    expect(loadConfig(key)).toMatchObject({ http: { port: 3001 }, databaseUrl: 'postgresql://root@127.0.0.1:5432/scenewise' });
  });

  it('refuses to start without ANTHROPIC_API_KEY, and names it', () => {
    expect(() => loadConfig({})).toThrow(/ANTHROPIC_API_KEY/);
  });

  it('stops on a bad value, naming the variable', () => {
    expect(() => loadConfig({ ...key, MODEL_CHECK_TTL_SECONDS: '-1' })).toThrow(/MODEL_CHECK_TTL_SECONDS/);
  });

  it('gets everything it needs from docker-compose.yml', () => {
    expect(loadConfig(composeServiceEnv('health'))).toMatchObject({ http: { port: 3001 }, nats: { servers: 'nats://nats:4222' } });
  });
});
