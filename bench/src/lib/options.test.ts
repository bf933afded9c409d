import { describe, expect, it } from 'vitest';
import { envName, flagName, parseOptions, UsageError, usage } from './options';

const spec = {
  scenes: { default: 40, min: 1, description: 'scenes' },
  latencyMs: { default: 2000, description: 'latency' },
  targetRatio: { default: 1.2, integer: false, description: 'ratio' },
};

describe('parseOptions', () => {
  it('takes the defaults, then the environment, then the flags', () => {
    expect(parseOptions(spec, [], {})).toEqual({ scenes: 40, latencyMs: 2000, targetRatio: 1.2, runs: 3, serviceEnv: {}, write: true });
    expect(parseOptions(spec, [], { BENCH_LATENCY_MS: '500' }).latencyMs).toBe(500);
    expect(parseOptions(spec, ['--latency-ms', '100'], { BENCH_LATENCY_MS: '500' }).latencyMs).toBe(100);
    expect(parseOptions(spec, ['--scenes=80', '--runs', '5', '--target-ratio', '1.5']).scenes).toBe(80);
    expect(parseOptions(spec, ['--runs', '5']).runs).toBe(5);
  });

  it('collects service environment and --no-write', () => {
    const o = parseOptions(spec, ['--env', 'SUMMARIZER_CONCURRENCY=64', '--env=LOG_LEVEL=warn', '--no-write']);
    expect(o.serviceEnv).toEqual({ SUMMARIZER_CONCURRENCY: '64', LOG_LEVEL: 'warn' });
    expect(o.write).toBe(false);
  });

  it('names every bad flag in one error', () => {
    expect(() => parseOptions(spec, ['--scenes', '0', '--latency-ms', 'x', '--nope', '1', '--runs'])).toThrow(UsageError);
    try {
      parseOptions(spec, ['--scenes', '0', '--latency-ms', '1.5', '--nope', '--env', 'X']);
    } catch (err) {
      const message = (err as Error).message;
      expect(message).toContain('--scenes 0: expected an integer ≥ 1');
      expect(message).toContain('--latency-ms 1.5: expected an integer');
      expect(message).toContain('unknown argument --nope');
      expect(message).toContain('--env X: expected KEY=VALUE');
    }
  });

  it('maps camel-cased keys to flags and variables', () => {
    expect(flagName('targetRatio')).toBe('target-ratio');
    expect(envName('latencyMs')).toBe('BENCH_LATENCY_MS');
    expect(usage('fanout', 'Fan-out.', spec)).toContain('--latency-ms');
  });
});
