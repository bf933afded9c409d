import type { RateBudget } from '@scenewise/contracts';
import { type LimitName, limitNames, type RateLimitReading } from '@scenewise/claude';

/**
 * The fleet's picture of one model's rate limits, shared by every summarizer instance: a mirror
 * of Anthropic's token buckets (each refilled continuously, `capacity` per minute). Calls take
 * from it before they go out, and what the server reports in its headers pulls it down to the
 * truth. Plain data and pure functions: the pacer keeps it in NATS KV and applies these.
 *
 * Times are epoch milliseconds from the writer's clock. Instances' clocks differ by a little, so
 * `at` never moves backwards: a slow clock writing after a fast one must not make the fast one
 * count the difference as refill twice.
 */
export type { RateBudget };
export type LimitState = NonNullable<RateBudget['limits'][LimitName]>;

export type CallCost = Record<LimitName, number>;

const MINUTE_MS = 60_000;

/**
 * Pace a little under the limit. Calls leave on our clock and arrive on the server's; a few
 * milliseconds of jitter against a bucket paced to the edge would be a 429 each time. 3% of
 * slack accumulates into a cushion within a handful of calls and costs 3% of the ideal time.
 */
export const PACE_FACTOR = 0.97;

/** A lease takes at most this share of what is left, so instances drain a bucket together. */
const LEASE_SHARE = 0.25;

/**
 * How far ahead of ours another instance's clock may put a limit's time. Beyond it, the other
 * clock is wrong, and waiting for it would stall every turn by the difference.
 */
const MAX_CLOCK_LEAD_MS = 1_000;

/** The time a limit's level is counted from after a write at `now`: never backwards. */
const writeTime = (limit: LimitState | undefined, now: number) => Math.max(now, Math.min(limit?.at ?? 0, now + MAX_CLOCK_LEAD_MS));

/** A reading lower than our level by more than this share of it (or one call) corrects it. */
const CORRECTION_SHARE = 0.02;

const refill = (capacity: number, ms: number) => (Math.max(0, ms) * capacity * PACE_FACTOR) / MINUTE_MS;
const msToRefill = (capacity: number, units: number) => (Math.max(0, units) * MINUTE_MS) / (capacity * PACE_FACTOR);

export function levelAt(limit: LimitState, now: number): number {
  return Math.min(limit.capacity, limit.level + refill(limit.capacity, now - limit.at));
}

/** The last time any instance wrote the budget: a call reserved or the server heard. */
export function touchedAt(budget: RateBudget): number {
  return Math.max(budget.observedAt, ...Object.values(budget.limits).map((limit) => limit.at));
}

/** Whether calls are still waiting for turns already promised (some level below zero). */
export function hasQueuedTurns(budget: RateBudget, now: number): boolean {
  return Object.values(budget.limits).some((limit) => levelAt(limit, now) < 0);
}

/** Whether every known bucket holds `calls` calls of this cost many times over (an unknown budget does not). */
export function isRoomy(budget: RateBudget, cost: CallCost, calls: number): boolean {
  const limits = Object.entries(budget.limits) as Array<[LimitName, LimitState]>;
  return limits.length > 0 && limits.every(([name, limit]) => limit.capacity >= calls * cost[name]);
}

export interface Lease {
  budget: RateBudget;
  /** Calls taken; the caller may make this many, the first at `startAt`, the rest at once after. */
  calls: number;
  /** When every limit's level is back at zero after this lease: the caller's turn. */
  startAt: number;
}

/**
 * Takes calls from every known limit. Where the buckets are full enough, up to `maxCalls` at
 * once (fewer writes to the shared budget); near the limit one at a time, each queued behind
 * the calls already promised, which is what paces the fleet.
 */
export function takeLease(budget: RateBudget, cost: CallCost, maxCalls: number, now: number): Lease {
  let calls = Math.max(1, maxCalls);
  for (const name of limitNames) {
    const limit = budget.limits[name];
    if (limit && cost[name] > 0) calls = Math.min(calls, Math.floor((levelAt(limit, now) * LEASE_SHARE) / cost[name]));
  }
  calls = Math.max(1, calls);

  let startAt = now;
  const limits: RateBudget['limits'] = {};
  for (const name of limitNames) {
    const limit = budget.limits[name];
    if (!limit) continue;
    const at = writeTime(limit, now);
    const level = levelAt(limit, at) - calls * cost[name];
    startAt = Math.max(startAt, at + msToRefill(limit.capacity, -level));
    limits[name] = { capacity: limit.capacity, level, at };
  }
  return { budget: { limits, observedAt: budget.observedAt }, calls, startAt };
}

/**
 * Folds the headers of an answer heard `now` in. A limit seen for the first time (or with a new
 * size) is taken as the server states it. A known one is only ever lowered, and only when the
 * server shows clearly less than we believe (one call near an empty bucket) (someone else spends from the same organisation's
 * limits, or a bucket we thought refilled was not): raising it would forget calls we promised
 * that the server has not seen yet. `changed` says whether the levels moved.
 *
 * `remaining` is read as of the answer (the server counts at admission, but reports at the
 * answer, and every call admitted in between is already taken off): no refill is added.
 */
export function foldObservation(budget: RateBudget | undefined, reading: RateLimitReading, now: number): { budget: RateBudget; changed: boolean } {
  const limits: RateBudget['limits'] = { ...budget?.limits };
  let changed = false;
  for (const name of limitNames) {
    const read = reading[name];
    if (!read) continue;
    const known = limits[name];
    const at = writeTime(known, now);
    const sameLimit = known?.capacity === read.capacity;
    const believed = sameLimit ? levelAt(known, at) : 0;
    // Near an empty bucket one call's difference is a 429; far from it, a small share of what
    // is left is not worth a write (an unlimited key would be written at every answer).
    if (sameLimit && read.remaining >= believed - Math.max(1, believed * CORRECTION_SHARE)) continue;
    limits[name] = { capacity: read.capacity, level: read.remaining, at };
    changed = true;
  }
  const heard = Object.keys(reading).length > 0;
  return { budget: { limits, observedAt: heard ? Math.max(now, budget?.observedAt ?? 0) : (budget?.observedAt ?? 0) }, changed };
}

/**
 * Charges what calls really used beyond what their turns took (negative: gives back what they
 * did not use). Token turns are taken on an estimate; without this a wrong estimate would pace
 * a token limit too fast or too slow for good, since the server's readings never raise a level.
 */
export function settleUsage(budget: RateBudget, overuse: Partial<CallCost>, now: number): { budget: RateBudget; changed: boolean } {
  const limits: RateBudget['limits'] = { ...budget.limits };
  let changed = false;
  for (const name of limitNames) {
    const limit = limits[name];
    const units = overuse[name] ?? 0;
    if (!limit || Math.abs(units) < 1) continue;
    const at = writeTime(limit, now);
    limits[name] = { capacity: limit.capacity, level: levelAt(limit, at) - units, at };
    changed = true;
  }
  return { budget: { ...budget, limits }, changed };
}
