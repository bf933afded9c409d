import { createLogger } from '@scenewise/telemetry';
import { describe, expect, it, vi } from 'vitest';
import { PACE_FACTOR, type RateBudget } from './rate-budget';
import { type BudgetStore, budgetKey, RatePacer } from './rate-pacer';

const model = 'claude-test-1';
const logger = createLogger({ service: 'test', level: 'silent' });
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
const empty600 = { requests: { capacity: 600, remaining: 0 } };

/** The KV bucket's compare-and-set, in memory; counts writes. */
function memoryStore(): BudgetStore & { writes: number; entries: Map<string, { budget: RateBudget; revision: number }> } {
  const entries = new Map<string, { budget: RateBudget; revision: number }>();
  let revisions = 0;
  return {
    entries,
    writes: 0,
    async read(key) {
      return structuredClone(entries.get(key) ?? null);
    },
    async write(key, budget, revision) {
      if ((entries.get(key)?.revision ?? null) !== revision) return null;
      this.writes++;
      entries.set(key, { budget: structuredClone(budget), revision: ++revisions });
      return revisions;
    },
  };
}

/** A pacer on a clock that only moves when it sleeps; `turns` records when each call was let out. */
function pacerOn(store: BudgetStore, clock = { now: 0 }, extra: { maxLease?: number } = {}) {
  const turns: number[] = [];
  const pacer = new RatePacer({
    store,
    logger,
    maxLease: extra.maxLease ?? 64,
    promptOverheadChars: 400,
    now: () => clock.now,
    sleep: async (ms) => {
      clock.now += ms;
    },
  });
  const acquire = async () => {
    await pacer.acquire(model, 1_000);
    turns.push(clock.now);
  };
  return { pacer, acquire, turns, clock };
}

describe('RatePacer', () => {
  it('lets calls out at a doubling rate while nothing is known of the limits', async () => {
    const { acquire, turns } = pacerOn(memoryStore());
    for (let i = 0; i < 4; i++) await acquire();
    expect(turns.map(Math.round)).toEqual([0, 10, 16, 20]);
  });

  it('queues the calls of every instance sharing the budget behind each other, at the limit’s pace', async () => {
    const store = memoryStore();
    // Time stands still: each call's turn is when it was told to wait until.
    const frozen = (waits: number[]) =>
      new RatePacer({ store, logger, maxLease: 64, promptOverheadChars: 400, now: () => 1_000, sleep: async (ms) => void waits.push(ms) });
    const waitsA: number[] = [];
    const waitsB: number[] = [];
    const a = frozen(waitsA);
    const b = frozen(waitsB);
    a.observe(model, empty600, 1_000);
    await settle();
    // Six calls, three from each instance, asking at the same moment.
    await Promise.all([a, b, a, b, a, b].map((pacer) => pacer.acquire(model, 1_000)));
    const spacing = 60_000 / (600 * PACE_FACTOR);
    expect([...waitsA, ...waitsB].sort((x, y) => x - y).map(Math.round)).toEqual([1, 2, 3, 4, 5, 6].map((n) => Math.round(n * spacing)));
    expect(store.entries.get(budgetKey(model))?.budget.limits.requests?.level).toBe(-6);
  });

  it('hands out turns a paced interval apart, one after the other', async () => {
    const store = memoryStore();
    const { pacer, acquire, turns } = pacerOn(store, { now: 0 });
    pacer.observe(model, empty600, 0);
    await settle();
    for (let i = 0; i < 4; i++) await acquire();
    const spacing = 60_000 / (600 * PACE_FACTOR);
    expect(turns.map(Math.round)).toEqual([1, 2, 3, 4].map((n) => Math.round(n * spacing)));
  });

  it('takes a blind caller’s turn again when the first answer arrived while it waited', async () => {
    const store = memoryStore();
    const clock = { now: 0 };
    const { pacer, acquire, turns } = pacerOn(store, clock);
    await acquire(); // the first blind call goes at once
    const second = acquire(); // its blind turn is 10 ms out
    pacer.observe(model, empty600, 0);
    await settle();
    await second;
    // Paced, not blind: a full interval after the 429's reading, not 10 ms.
    expect(turns[1]).toBeGreaterThan(90);
  });

  it('from a full bucket, covers many calls with one write to the shared budget', async () => {
    const store = memoryStore();
    const { pacer, acquire, turns } = pacerOn(store, { now: 0 }, { maxLease: 32 });
    pacer.observe(model, { requests: { capacity: 4_000, remaining: 4_000 } }, 0);
    await settle();
    const writesBefore = store.writes;
    for (let i = 0; i < 32; i++) await acquire();
    expect(turns.every((t) => t === 0)).toBe(true);
    expect(store.writes - writesBefore).toBe(1);
  });

  it('does not trust a budget nobody has touched for a while: another client may have spent it', async () => {
    const store = memoryStore();
    const clock = { now: 0 };
    const { pacer, acquire, turns } = pacerOn(store, clock);
    pacer.observe(model, { requests: { capacity: 600, remaining: 600 } }, 0);
    await settle();
    clock.now = 60_000;
    await acquire();
    await acquire();
    // Blind again: the second call waits for its ramp turn instead of spending the "full" bucket.
    expect(turns).toEqual([60_000, 60_010]);
  });

  it('lets calls go unpaced, warning once, when the store cannot be reached', async () => {
    const warn = vi.fn();
    const failing: BudgetStore = {
      read: () => Promise.reject(new Error('nats down')),
      write: () => Promise.reject(new Error('nats down')),
    };
    const pacer = new RatePacer({ store: failing, logger: { ...logger, warn } as unknown as typeof logger, maxLease: 8, promptOverheadChars: 0, sleep: async () => undefined });
    await pacer.acquire(model, 10);
    await pacer.acquire(model, 10);
    pacer.observe(model, empty600, Date.now());
    await settle();
    expect(warn).toHaveBeenCalledTimes(1);
  });
});
