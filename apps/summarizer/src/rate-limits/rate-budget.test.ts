import { describe, expect, it } from 'vitest';
import { type CallCost, foldObservation, levelAt, PACE_FACTOR, type RateBudget, settleUsage, takeLease } from './rate-budget';

const oneRequest: CallCost = { requests: 1, inputTokens: 100, outputTokens: 50 };
/** Milliseconds between calls when paced at `rpm` requests a minute. */
const spacing = (rpm: number) => 60_000 / (rpm * PACE_FACTOR);

const budgetWith = (requests: { capacity: number; level: number; at: number }): RateBudget => ({ limits: { requests }, observedAt: requests.at });

describe('levelAt', () => {
  it('refills at the paced rate, up to the capacity', () => {
    const limit = { capacity: 600, level: -2, at: 1_000 };
    expect(levelAt(limit, 1_000)).toBe(-2);
    expect(levelAt(limit, 1_000 + spacing(600))).toBeCloseTo(-1);
    expect(levelAt(limit, 1_000 + 3_600_000)).toBe(600);
  });
});

describe('takeLease', () => {
  it('near an empty bucket, queues calls one by one, each a paced interval after the last', () => {
    let budget = budgetWith({ capacity: 600, level: 0, at: 0 });
    const turns: number[] = [];
    for (let i = 0; i < 5; i++) {
      const lease = takeLease(budget, oneRequest, 64, 0);
      expect(lease.calls).toBe(1);
      turns.push(lease.startAt);
      budget = lease.budget;
    }
    expect(turns.map((t) => Math.round(t))).toEqual([1, 2, 3, 4, 5].map((n) => Math.round(n * spacing(600))));
    expect(budget.limits.requests?.level).toBe(-5);
  });

  it('from a full bucket, leases many calls at once and starts them now', () => {
    const lease = takeLease(budgetWith({ capacity: 600, level: 600, at: 0 }), oneRequest, 64, 10);
    expect(lease).toMatchObject({ calls: 64, startAt: 10 });
    expect(lease.budget.limits.requests).toEqual({ capacity: 600, level: 536, at: 10 });
  });

  it('takes no more than a quarter of what is left, so instances share the rest', () => {
    expect(takeLease(budgetWith({ capacity: 600, level: 40, at: 0 }), oneRequest, 64, 0).calls).toBe(10);
  });

  it('is bound by the tightest limit, tokens included', () => {
    const budget: RateBudget = {
      limits: { requests: { capacity: 4_000, level: 4_000, at: 0 }, outputTokens: { capacity: 8_000, level: 100, at: 0 } },
      observedAt: 0,
    };
    const lease = takeLease(budget, oneRequest, 64, 0);
    expect(lease.calls).toBe(1);
    expect(lease.budget.limits.outputTokens?.level).toBe(50);
    expect(lease.startAt).toBe(0);
    const next = takeLease(lease.budget, oneRequest, 64, 0);
    // 0 output tokens left after the second: it goes at once; the third waits for 50 tokens.
    expect(next.startAt).toBe(0);
    const third = takeLease(next.budget, oneRequest, 64, 0);
    expect(third.startAt).toBeCloseTo((50 * 60_000) / (8_000 * PACE_FACTOR));
  });

  it('leaves limits it does not know alone', () => {
    const lease = takeLease({ limits: {}, observedAt: 0 }, oneRequest, 8, 0);
    expect(lease).toMatchObject({ calls: 8, startAt: 0, budget: { limits: {} } });
  });
});

describe('takeLease across clocks', () => {
  it('never moves a limit back in time: a slow clock writing after a fast one creates no budget', () => {
    // The fast instance took a turn at 10,000 on its clock; the slow one, 50 ms behind, takes the next.
    const fast = takeLease(budgetWith({ capacity: 600, level: 0, at: 10_000 }), oneRequest, 64, 10_000);
    const slow = takeLease(fast.budget, oneRequest, 64, 9_950);
    expect(slow.budget.limits.requests?.at).toBe(10_000);
    expect(slow.budget.limits.requests?.level).toBe(-2);
    // Back on the fast clock, the 50 ms are not counted as refill a second time.
    const next = takeLease(slow.budget, oneRequest, 64, 10_000);
    expect(next.startAt).toBeCloseTo(10_000 + 3 * spacing(600));
  });
});

describe('clocks far apart', () => {
  it('does not let an instance whose clock runs seconds ahead stall everyone else’s turns', () => {
    // Written by a clock 60 s ahead: counted as at most 1 s ahead of ours.
    const ahead = budgetWith({ capacity: 600, level: 0, at: 70_000 });
    const lease = takeLease(ahead, oneRequest, 64, 10_000);
    expect(lease.budget.limits.requests?.at).toBe(11_000);
    expect(lease.startAt).toBeCloseTo(11_000 + spacing(600));
  });
});

describe('settleUsage', () => {
  const tokens = (level: number): RateBudget => ({ limits: { outputTokens: { capacity: 8_000, level, at: 0 } }, observedAt: 0 });

  it('charges what a call used beyond its turn, and gives back what it did not use', () => {
    expect(settleUsage(tokens(100), { outputTokens: 300 }, 0).budget.limits.outputTokens?.level).toBe(-200);
    expect(settleUsage(tokens(100), { outputTokens: -150 }, 0).budget.limits.outputTokens?.level).toBe(250);
  });

  it('leaves limits it does not know, and differences under one token, alone', () => {
    const { budget, changed } = settleUsage(tokens(100), { inputTokens: 500, outputTokens: 0.4 }, 0);
    expect(changed).toBe(false);
    expect(budget.limits).toEqual(tokens(100).limits);
  });
});

describe('foldObservation', () => {
  it('takes a limit seen for the first time as the server states it', () => {
    const { budget, changed } = foldObservation(undefined, { requests: { capacity: 600, remaining: 0 } }, 1_000);
    expect(changed).toBe(true);
    expect(budget.limits.requests).toEqual({ capacity: 600, level: 0, at: 1_000 });
    expect(budget.observedAt).toBe(1_000);
  });

  it('lowers a level the server shows to be clearly too high', () => {
    const ours = budgetWith({ capacity: 600, level: 500, at: 0 });
    const { budget, changed } = foldObservation(ours, { requests: { capacity: 600, remaining: 100 } }, 0);
    expect(changed).toBe(true);
    expect(budget.limits.requests?.level).toBe(100);
  });

  it('never raises a level: calls promised but not yet seen by the server would be forgotten', () => {
    const ours = budgetWith({ capacity: 600, level: -20, at: 0 });
    const { budget, changed } = foldObservation(ours, { requests: { capacity: 600, remaining: 0 } }, 0);
    expect(changed).toBe(false);
    expect(budget.limits.requests?.level).toBe(-20);
  });

  it('always takes an empty bucket in, however small the difference', () => {
    const ours = budgetWith({ capacity: 600, level: 5, at: 0 });
    const { budget, changed } = foldObservation(ours, { requests: { capacity: 600, remaining: 0 } }, 0);
    expect(changed).toBe(true);
    expect(budget.limits.requests?.level).toBe(0);
  });

  it('ignores a small share of a full bucket, and starts over when the limit itself changed', () => {
    const ours = budgetWith({ capacity: 600, level: 300, at: 0 });
    expect(foldObservation(ours, { requests: { capacity: 600, remaining: 295 } }, 0).changed).toBe(false);
    expect(foldObservation(ours, { requests: { capacity: 600, remaining: 290 } }, 0).changed).toBe(true);
    const unlimited = budgetWith({ capacity: 1_000_000, level: 1_000_000, at: 0 });
    expect(foldObservation(unlimited, { requests: { capacity: 1_000_000, remaining: 999_900 } }, 0).changed).toBe(false);
    const upgraded = foldObservation(ours, { requests: { capacity: 4_000, remaining: 3_990 } }, 0);
    expect(upgraded.budget.limits.requests).toEqual({ capacity: 4_000, level: 3_990, at: 0 });
  });
});
