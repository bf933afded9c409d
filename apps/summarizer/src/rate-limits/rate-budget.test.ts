import { describe, expect, it } from 'vitest';
import { type CallCost, foldObservation, levelAt, PACE_FACTOR, type RateBudget, takeLease } from './rate-budget';

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

describe('foldObservation', () => {
  it('takes a limit seen for the first time as the server states it, refilled since the call was sent', () => {
    const { budget, changed } = foldObservation(undefined, { reading: { requests: { capacity: 600, remaining: 0 } }, sentAt: 1_000 }, 1_000 + spacing(600));
    expect(changed).toBe(true);
    expect(budget.limits.requests?.level).toBeCloseTo(1);
    expect(budget.observedAt).toBe(1_000 + spacing(600));
  });

  it('lowers a level the server shows to be clearly too high', () => {
    const ours = budgetWith({ capacity: 600, level: 500, at: 0 });
    const { budget, changed } = foldObservation(ours, { reading: { requests: { capacity: 600, remaining: 100 } }, sentAt: 0 }, 0);
    expect(changed).toBe(true);
    expect(budget.limits.requests?.level).toBe(100);
  });

  it('never raises a level: calls promised but not yet seen by the server would be forgotten', () => {
    const ours = budgetWith({ capacity: 600, level: -20, at: 0 });
    const { budget, changed } = foldObservation(ours, { reading: { requests: { capacity: 600, remaining: 0 } }, sentAt: 0 }, 0);
    expect(changed).toBe(false);
    expect(budget.limits.requests?.level).toBe(-20);
  });

  it('ignores a small difference, and starts over when the limit itself changed', () => {
    const ours = budgetWith({ capacity: 600, level: 300, at: 0 });
    expect(foldObservation(ours, { reading: { requests: { capacity: 600, remaining: 295 } }, sentAt: 0 }, 0).changed).toBe(false);
    const upgraded = foldObservation(ours, { reading: { requests: { capacity: 4_000, remaining: 3_990 } }, sentAt: 0 }, 0);
    expect(upgraded.budget.limits.requests).toEqual({ capacity: 4_000, level: 3_990, at: 0 });
  });

  it('counts output tokens from the answer, not from when the call was sent', () => {
    const { budget } = foldObservation(undefined, { reading: { outputTokens: { capacity: 60_000, remaining: 0 } }, sentAt: 0 }, 10_000);
    expect(budget.limits.outputTokens?.level).toBe(0);
  });
});
