import { composeServiceEnv } from '@scenewise/service-runtime/testing';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config';

const key = { ANTHROPIC_API_KEY: 'sk-ant-test' };

describe('summarizer config', () => {
  it('runs on defaults once it has an Anthropic key', () => {
    expect(loadConfig(key)).toMatchObject({ http: { port: 3003 }, databaseUrl: 'postgresql://root@127.0.0.1:5432/scenewise' });
  });

  it('refuses to start without ANTHROPIC_API_KEY, and names it', () => {
    expect(() => loadConfig({})).toThrow(/ANTHROPIC_API_KEY/);
  });

  it('stops on a bad value, naming the variable', () => {
    expect(() => loadConfig({ ...key, SUMMARIZER_CONCURRENCY: '-1' })).toThrow(/SUMMARIZER_CONCURRENCY/);
  });

  it('asks for structured outputs unless told not to, and never retries a cut-off answer with fewer tokens', () => {
    expect(loadConfig(key).claude).toMatchObject({ structuredOutputs: true, maxTokens: 1_024, maxTokensCap: 4_096 });
    expect(loadConfig({ ...key, CLAUDE_STRUCTURED_OUTPUTS: 'false', CLAUDE_MAX_OUTPUT_TOKENS: '8000' }).claude).toMatchObject({
      structuredOutputs: false,
      maxTokensCap: 8_000,
    });
    expect(() => loadConfig({ ...key, CLAUDE_STRUCTURED_OUTPUTS: 'maybe' })).toThrow(/CLAUDE_STRUCTURED_OUTPUTS/);
  });

  it('gets everything it needs from docker-compose.yml', () => {
    expect(loadConfig(composeServiceEnv('summarizer'))).toMatchObject({ http: { port: 3003 }, nats: { servers: 'nats://nats:4222' } });
  });
});
