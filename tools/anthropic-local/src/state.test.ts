import { describe, expect, it } from 'vitest';
import { InvalidConfigError } from './options';
import { LocalState } from './state';

const draws = (state: LocalState, n: number) =>
  Array.from({ length: n }, () => state.injector.draw({ rateLimit: 0.5, apiError: 0, overloaded: 0, hang: 0 }, 10));

describe('LocalState', () => {
  it('applies a patch to the catalogue, the limiter and the seed', () => {
    const state = new LocalState({ seed: 5 });
    const fromFive = draws(new LocalState({ seed: 5 }), 10);
    state.configure({ retiredModels: ['claude-haiku-4-5'], requestsPerMinute: 1, seed: 6 });
    expect(state.catalogue.find('claude-haiku-4-5')).toBeUndefined();
    expect(state.limiter.admit(1).ok).toBe(true);
    expect(state.limiter.admit(1).ok).toBe(false);
    expect(draws(state, 10)).not.toEqual(fromFive);
    expect(draws(new LocalState({ seed: 6 }), 10)).toEqual(draws(new LocalState({ seed: 6 }), 10));
  });

  it('keeps the old config when a patch is bad', () => {
    const state = new LocalState({ latencyMs: 4 });
    expect(() => state.configure({ latencyMs: 'slow' })).toThrow(InvalidConfigError);
    expect(state.config.latencyMs).toBe(4);
  });

  it('reset restarts the fault sequence, refills limits and zeroes stats', () => {
    const state = new LocalState({ seed: 3, requestsPerMinute: 1 });
    const first = draws(state, 5);
    state.limiter.admit(1);
    state.stats.begin('messages').end(200);
    state.reset();
    expect(draws(state, 5)).toEqual(first);
    expect(state.limiter.admit(1).ok).toBe(true);
    expect(state.stats.snapshot().total).toBe(0);
  });
});
