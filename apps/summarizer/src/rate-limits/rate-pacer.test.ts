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
  it('lets one call out, then the rest at a doubling rate if no answer comes, while nothing is known of the limits', async () => {
    const { acquire, turns } = pacerOn(memoryStore());
    for (let i = 0; i < 4; i++) await acquire();
    // The first alone; the rest, with no answer heard, after 250 ms at a doubling rate.
    expect(turns.map(Math.round)).toEqual([0, 250, 260, 266]);
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
    a.observe(model, empty600);
    await settle();
    // Six calls, three from each instance, asking at the same moment.
    await Promise.all([a, b, a, b, a, b].map((pacer) => pacer.acquire(model, 1_000)));
    const spacing = 60_000 / (600 * PACE_FACTOR);
    // (The short sleeps between lost compare-and-sets are not turns.)
    const turnWaits = [...waitsA, ...waitsB].filter((ms) => ms > 50).sort((x, y) => x - y);
    expect(turnWaits.map(Math.round)).toEqual([1, 2, 3, 4, 5, 6].map((n) => Math.round(n * spacing)));
    expect(store.entries.get(budgetKey(model))?.budget.limits.requests?.level).toBe(-6);
  });

  it('hands out turns a paced interval apart, one after the other', async () => {
    const store = memoryStore();
    const { pacer, acquire, turns } = pacerOn(store, { now: 0 });
    pacer.observe(model, empty600);
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
    pacer.observe(model, empty600);
    await settle();
    await second;
    // Paced, not blind: a full interval after the 429's reading, not 10 ms.
    expect(turns[1]).toBeGreaterThan(90);
  });

  it('from a full bucket, covers many calls with one write to the shared budget', async () => {
    const store = memoryStore();
    const { pacer, acquire, turns } = pacerOn(store, { now: 0 }, { maxLease: 32 });
    pacer.observe(model, { requests: { capacity: 4_000, remaining: 4_000 } });
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
    pacer.observe(model, { requests: { capacity: 600, remaining: 600 } });
    await settle();
    clock.now = 60_000;
    await acquire();
    await acquire();
    // Blind again: the second call waits for its ramp turn instead of spending the "full" bucket.
    expect(turns).toEqual([60_000, 60_250]);
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
    pacer.observe(model, empty600);
    await settle();
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('keeps pacing by a budget nobody touched lately while calls are still queued in it', async () => {
    const store = memoryStore();
    const clock = { now: 0 };
    const { pacer, acquire, turns } = pacerOn(store, clock);
    // 30 a minute: a turn every ~2 s, longer than any freshness window.
    pacer.observe(model, { requests: { capacity: 30, remaining: 0 } });
    await settle();
    const frozen = new RatePacer({ store, logger, maxLease: 64, promptOverheadChars: 400, now: () => clock.now, sleep: async () => undefined });
    for (let i = 0; i < 3; i++) await frozen.acquire(model, 100); // three turns promised, ~6 s out
    clock.now = 3_000;
    await acquire();
    expect(turns[0]).toBeGreaterThan(7_000);
  });

  it('goes on from its own copy of the budget when the store stops answering, without asking it each time', async () => {
    let reads = 0;
    const hanging: BudgetStore = {
      read: () => {
        reads++;
        return new Promise(() => undefined);
      },
      write: () => new Promise(() => undefined),
    };
    const warn = vi.fn();
    const pacer = new RatePacer({ store: hanging, logger: { ...logger, warn } as unknown as typeof logger, maxLease: 8, promptOverheadChars: 0, storeTimeoutMs: 20 });
    // Nothing known yet: the first call goes unpaced once the store has not answered in time.
    expect(await pacer.acquire(model, 10)).toMatchObject({ paced: false });
    // A 429 heard meanwhile is kept locally; the next calls are paced by it, one by one.
    pacer.observe(model, { requests: { capacity: 6_000, remaining: 0 } });
    const turns = await Promise.all([1, 2, 3].map(() => pacer.acquire(model, 10)));
    expect(turns.every((t) => t.paced)).toBe(true);
    const spacing = 60_000 / (6_000 * PACE_FACTOR);
    const waits = turns.map((t) => t.waitedMs).sort((x, y) => x - y);
    // Timers fire on node's monotonic clock and the waits are read on Date.now: allow a ms or two.
    waits.forEach((ms, i) => expect(ms).toBeGreaterThanOrEqual(Math.floor((i + 1) * spacing) - 2));
    expect(reads).toBe(1);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('trusts an old budget whose buckets dwarf any burst of ours, an unlimited key’s', async () => {
    const store = memoryStore();
    const clock = { now: 0 };
    const { pacer, acquire, turns } = pacerOn(store, clock, { maxLease: 64 });
    pacer.observe(model, { requests: { capacity: 1_000_000, remaining: 1_000_000 }, inputTokens: { capacity: 1e9, remaining: 1e9 } });
    await settle();
    clock.now = 60_000;
    for (let i = 0; i < 3; i++) await acquire();
    expect(turns).toEqual([60_000, 60_000, 60_000]);
  });

  it('lets the calls waiting behind a blind first call look again as soon as its answer comes', async () => {
    const store = memoryStore();
    // A sleep that never ends: only the answer can wake the waiting call.
    const pacer = new RatePacer({ store, logger, maxLease: 64, promptOverheadChars: 400, sleep: () => new Promise(() => undefined) });
    await pacer.acquire(model, 100); // the first, blind
    const second = pacer.acquire(model, 100);
    await settle();
    pacer.observe(model, { requests: { capacity: 600_000, remaining: 500_000 } });
    expect(await second).toMatchObject({ paced: true });
  });

  it('settles a tight token limit with what the call really used, so a wrong estimate does not last', async () => {
    const store = memoryStore();
    const { pacer } = pacerOn(store, { now: 0 });
    pacer.observe(model, { requests: { capacity: 1_000, remaining: 1_000 }, outputTokens: { capacity: 8_000, remaining: 8_000 } });
    await settle();
    const turn = await pacer.acquire(model, 1_000);
    const takenTo = store.entries.get(budgetKey(model))!.budget.limits.outputTokens!.level;
    expect(turn.reserved?.outputTokens).toBe(300);
    // The answer used 900 output tokens, not the 300 its turn took.
    pacer.observe(model, {}, { inputTokens: 400, outputTokens: 900, textChars: 1_000, reserved: turn.reserved });
    await settle();
    expect(store.entries.get(budgetKey(model))!.budget.limits.outputTokens!.level).toBeCloseTo(takenTo - 600);
  });
});
