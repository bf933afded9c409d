import { describe, expect, it } from 'vitest';
import { loadConfig } from './config';
import { startAnthropicLocal } from './server';

describe('loadConfig', () => {
  it('defaults to 127.0.0.1:4010 and no overrides', () => {
    expect(loadConfig({})).toEqual({ host: '127.0.0.1', port: 4010, server: { faults: {} } });
    expect(loadConfig({ ANTHROPIC_LOCAL_PORT: '', ANTHROPIC_LOCAL_RPM: ' ' }).port).toBe(4010);
  });

  it('maps every variable to the server options', () => {
    const config = loadConfig({
      ANTHROPIC_LOCAL_PORT: '0',
      ANTHROPIC_LOCAL_HOST: '0.0.0.0',
      ANTHROPIC_LOCAL_LATENCY_MS: '25',
      ANTHROPIC_LOCAL_JITTER_MS: '5',
      ANTHROPIC_LOCAL_RPM: '50',
      ANTHROPIC_LOCAL_INPUT_TPM: '40000',
      ANTHROPIC_LOCAL_OUTPUT_TPM: '8000',
      ANTHROPIC_LOCAL_FAULT_429: '0.1',
      ANTHROPIC_LOCAL_FAULT_500: '0.05',
      ANTHROPIC_LOCAL_FAULT_529: '0.05',
      ANTHROPIC_LOCAL_FAULT_HANG: '0.01',
      ANTHROPIC_LOCAL_FAULT_RETRY_AFTER_S: '2',
      ANTHROPIC_LOCAL_FAULT_SHOULD_RETRY: 'false',
      ANTHROPIC_LOCAL_SPEND_LIMIT: 'true',
      ANTHROPIC_LOCAL_MAX_INPUT_TOKENS: '1000',
      ANTHROPIC_LOCAL_MAX_REQUEST_BYTES: '2048',
      ANTHROPIC_LOCAL_SEED: '9',
      ANTHROPIC_LOCAL_API_KEY: 'sk-local',
      ANTHROPIC_LOCAL_RETIRED: 'claude-haiku-4-5, claude-opus-4-1',
      ANTHROPIC_LOCAL_EXTRA_MODELS: 'local-echo',
      ANTHROPIC_LOCAL_OVERSIZE_RATE: '0.25',
      ANTHROPIC_LOCAL_REFUSAL_MARKER: 'NO-THANKS',
    });
    expect(config).toEqual({
      host: '0.0.0.0',
      port: 0,
      server: {
        latencyMs: 25,
        jitterMs: 5,
        requestsPerMinute: 50,
        inputTokensPerMinute: 40000,
        outputTokensPerMinute: 8000,
        faults: { rateLimit: 0.1, apiError: 0.05, overloaded: 0.05, hang: 0.01, retryAfterSeconds: 2, shouldRetry: false },
        spendLimitReached: true,
        maxInputTokens: 1000,
        maxRequestBytes: 2048,
        seed: 9,
        apiKey: 'sk-local',
        retiredModels: ['claude-haiku-4-5', 'claude-opus-4-1'],
        extraModels: [{ id: 'local-echo' }],
        oversizeRate: 0.25,
        refusalMarker: 'NO-THANKS',
      },
    });
  });

  it('produces options the server accepts', async () => {
    const { server } = loadConfig({ ANTHROPIC_LOCAL_RPM: '5', ANTHROPIC_LOCAL_FAULT_529: '0.5' });
    const local = await startAnthropicLocal({ ...server, port: 0 });
    expect(local.config()).toMatchObject({ requestsPerMinute: 5, faults: { overloaded: 0.5, rateLimit: 0 } });
    await local.close();
  });

  it('fails with one line naming every bad variable', () => {
    const load = () =>
      loadConfig({ ANTHROPIC_LOCAL_RPM: 'lots', ANTHROPIC_LOCAL_FAULT_429: '1.5', ANTHROPIC_LOCAL_SPEND_LIMIT: 'yes' });
    expect(load).toThrow(/^invalid environment: ANTHROPIC_LOCAL_RPM: .*; ANTHROPIC_LOCAL_FAULT_429: .*; ANTHROPIC_LOCAL_SPEND_LIMIT: /);
    expect(() => loadConfig({ ANTHROPIC_LOCAL_FAULT_429: '0.6', ANTHROPIC_LOCAL_FAULT_529: '0.6' })).toThrow(
      /ANTHROPIC_LOCAL_FAULT_\*: fault rates sum to 1\.2/,
    );
    expect(() => loadConfig({ ANTHROPIC_LOCAL_PORT: '70000' })).toThrow(/ANTHROPIC_LOCAL_PORT/);
    expect(load).not.toThrow(/\n/);
  });
});
