import { composeServiceEnv } from '@scenewise/service-runtime/testing';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config';

describe('api config', () => {
  it('runs on defaults', () => {
    expect(loadConfig({})).toMatchObject({ http: { port: 3000 }, nats: { servers: 'nats://127.0.0.1:4222', namespace: '' } });
  });

  it('stops on a bad value, naming the variable', () => {
    expect(() => loadConfig({ MAX_SCENES: 'lots' })).toThrow(/MAX_SCENES/);
  });

  it('gets everything it needs from docker-compose.yml', () => {
    expect(loadConfig(composeServiceEnv('api'))).toMatchObject({ http: { port: 3000 }, nats: { servers: 'nats://nats:4222' } });
  });
});
