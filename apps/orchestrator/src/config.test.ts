import { composeServiceEnv } from '@scenewise/service-runtime/testing';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config';

const key = { ANTHROPIC_API_KEY: 'sk-ant-test' };

describe('orchestrator config', () => {
  it('runs on defaults once it has an Anthropic key', () => {
    expect(loadConfig(key)).toMatchObject({ http: { port: 3002 }, databaseUrl: 'postgresql://root@127.0.0.1:5432/scenewise' });
  });

  it('refuses to start without ANTHROPIC_API_KEY, and names it', () => {
    expect(() => loadConfig({})).toThrow(/ANTHROPIC_API_KEY/);
  });

  it('stops on a bad value, naming the variable', () => {
    expect(() => loadConfig({ ...key, MODEL_CHECK_TTL_SECONDS: '-1' })).toThrow(/MODEL_CHECK_TTL_SECONDS/);
  });

  it('publishes up to 256 tasks of a job at a time unless told otherwise', () => {
    expect(loadConfig(key).dispatchWindow).toEqual({ size: 256, batch: 64 });
    expect(loadConfig({ ...key, JOB_DISPATCH_WINDOW: '40' }).dispatchWindow).toEqual({ size: 40, batch: 10 });
    expect(() => loadConfig({ ...key, JOB_DISPATCH_WINDOW: '0' })).toThrow(/JOB_DISPATCH_WINDOW/);
  });

  it('gets everything it needs from docker-compose.yml', () => {
    expect(loadConfig(composeServiceEnv('orchestrator'))).toMatchObject({ http: { port: 3002 }, nats: { servers: 'nats://nats:4222' } });
  });
});
