import { describe, expect, it } from 'vitest';
import { createPrng, FaultInjector, pickFault, type FaultRates } from './faults';

const none: FaultRates = { rateLimit: 0, apiError: 0, overloaded: 0, hang: 0 };

describe('createPrng', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    const a = createPrng(42);
    const b = createPrng(42);
    const c = createPrng(43);
    const seqA = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(seqA);
    expect([c(), c(), c()]).not.toEqual(seqA);
    for (const x of seqA) expect(x >= 0 && x < 1).toBe(true);
  });
});

describe('pickFault', () => {
  it('gives each fault a slice of [0, 1) as wide as its rate', () => {
    const rates = { rateLimit: 0.1, apiError: 0.2, overloaded: 0.3, hang: 0.1 };
    expect(pickFault(rates, 0.05)).toBe('rateLimit');
    expect(pickFault(rates, 0.15)).toBe('apiError');
    expect(pickFault(rates, 0.5)).toBe('overloaded');
    expect(pickFault(rates, 0.65)).toBe('hang');
    expect(pickFault(rates, 0.95)).toBe('none');
    expect(pickFault(none, 0)).toBe('none');
    expect(pickFault({ ...none, overloaded: 1 }, 0.999)).toBe('overloaded');
  });
});

describe('FaultInjector', () => {
  it('is reproducible from the seed and restarts on demand', () => {
    const rates = { ...none, rateLimit: 0.3, apiError: 0.3 };
    const run = (injector: FaultInjector) => Array.from({ length: 50 }, () => injector.draw(rates, 100));
    const injector = new FaultInjector(7);
    const first = run(injector);
    expect(run(new FaultInjector(7))).toEqual(first);
    injector.restart();
    expect(run(injector)).toEqual(first);
    expect(run(new FaultInjector(8))).not.toEqual(first);
    const faults = new Set(first.map((d) => d.fault));
    expect(faults).toEqual(new Set(['rateLimit', 'apiError', 'none']));
    for (const d of first) expect(d.jitterMs >= 0 && d.jitterMs <= 100).toBe(true);
  });

  it('draws oversize from its own stream, leaving faults and jitter as the seed gave them before', () => {
    const prng = createPrng(5);
    const injector = new FaultInjector(5);
    const rates = { ...none, apiError: 0.5 };
    for (let i = 0; i < 20; i++) {
      const [faultDraw, jitterDraw] = [prng(), prng()];
      expect(injector.draw(rates, 10, 0.5)).toMatchObject({ fault: pickFault(rates, faultDraw), jitterMs: Math.floor(jitterDraw * 11) });
    }
    const oversized = (rate: number) => {
      const fresh = new FaultInjector(5);
      return Array.from({ length: 400 }, () => fresh.draw(none, 0, rate).oversize);
    };
    expect(oversized(0).some(Boolean)).toBe(false);
    expect(oversized(1).every(Boolean)).toBe(true);
    const half = oversized(0.5).filter(Boolean).length;
    expect(half).toBeGreaterThan(150);
    expect(half).toBeLessThan(250);
    expect(oversized(0.5)).toEqual(oversized(0.5));
  });

  it('roughly honours the rates', () => {
    const injector = new FaultInjector(1);
    const draws = Array.from({ length: 2000 }, () => injector.draw({ ...none, overloaded: 0.25 }, 0));
    const overloaded = draws.filter((d) => d.fault === 'overloaded').length;
    expect(overloaded).toBeGreaterThan(400);
    expect(overloaded).toBeLessThan(600);
    expect(draws.every((d) => d.jitterMs === 0)).toBe(true);
  });
});
