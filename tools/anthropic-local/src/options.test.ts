import { describe, expect, it } from 'vitest';
import { defaultConfig, InvalidConfigError, mergeConfig } from './options';

describe('mergeConfig', () => {
  it('merges top-level fields and faults field by field', () => {
    const once = mergeConfig(defaultConfig, { latencyMs: 20, faults: { overloaded: 0.5 } });
    const twice = mergeConfig(once, { faults: { hang: 0.25 }, requestsPerMinute: 10 });
    expect(twice).toMatchObject({ latencyMs: 20, requestsPerMinute: 10 });
    expect(twice.faults).toEqual({ rateLimit: 0, apiError: 0, overloaded: 0.5, hang: 0.25, retryAfterSeconds: 1, shouldRetry: null });
    expect(mergeConfig(twice, { faults: { shouldRetry: false } }).faults.shouldRetry).toBe(false);
    expect(mergeConfig(twice, { requestsPerMinute: null }).requestsPerMinute).toBeNull();
    expect(defaultConfig.latencyMs).toBe(0);
    expect(defaultConfig.refusalMarker).toBe('REFUSAL-TRIGGER');
    expect(mergeConfig(twice, { refusalMarker: null }).refusalMarker).toBeNull();
  });

  it('rejects bad values, unknown keys and fault rates above 1 in total, naming the key', () => {
    const problems = (patch: unknown) => {
      try {
        mergeConfig(defaultConfig, patch);
      } catch (err) {
        expect(err).toBeInstanceOf(InvalidConfigError);
        return (err as InvalidConfigError).problems;
      }
      throw new Error('expected the patch to be rejected');
    };
    expect(problems({ latencyMs: -1 })[0]).toMatch(/^latencyMs: /);
    expect(problems({ faults: { hang: 2 } })[0]).toMatch(/^faults\.hang: /);
    expect(problems({ speed: 'fast' })[0]).toMatch(/speed/);
    expect(problems({ faults: { rateLimit: 0.6, overloaded: 0.6 } })).toEqual(['faults: fault rates must sum to at most 1']);
    expect(problems({ extraModels: [{ id: 'x', createdAt: 'yesterday' }] })[0]).toMatch(/^extraModels\.0\.createdAt: /);
    expect(problems('not an object')[0]).toMatch(/^\(body\): /);
    expect(problems({ refusalMarker: '' })[0]).toMatch(/^refusalMarker: /);
    expect(problems({ oversizeRate: 1.5 })[0]).toMatch(/^oversizeRate: /);
  });
});
