import type { RateBudget } from '@scenewise/contracts';
import { type LimitName, limitNames, type RateLimitReading } from './rate-limit-headers';

/**
 * The fleet's picture of one model's rate limits, shared by every summarizer instance: a mirror
 * of Anthropic's token buckets (each refilled continuously, `capacity` per minute). Calls take
 * from it before they go out, and what the server reports in its headers pulls it down to the
 * truth. Plain data and pure functions: the pacer keeps it in NATS KV and applies these.
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

/** A level the server shows to be lower than ours by this share of the bucket is corrected. */
const CORRECTION_SHARE = 0.02;

/** A lease takes at most this share of what is left, so instances drain a bucket together. */
const LEASE_SHARE = 0.25;

const refill = (capacity: number, ms: number) => (Math.max(0, ms) * capacity * PACE_FACTOR) / MINUTE_MS;

export function levelAt(limit: LimitState, now: number): number {
  return Math.min(limit.capacity, limit.level + refill(limit.capacity, now - limit.at));
}

/** The last time any instance wrote the budget: a call reserved or the server heard. */
export function touchedAt(budget: RateBudget): number {
  return Math.max(budget.observedAt, ...Object.values(budget.limits).map((limit) => limit.at));
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
    const level = levelAt(limit, now) - calls * cost[name];
    if (level < 0) startAt = Math.max(startAt, now + (-level * MINUTE_MS) / (limit.capacity * PACE_FACTOR));
    limits[name] = { capacity: limit.capacity, level, at: now };
  }
  return { budget: { limits, observedAt: budget.observedAt }, calls, startAt };
}

export interface Observation {
  /** The server's reading, as sent with the response to a call sent at `sentAt`. */
  reading: RateLimitReading;
  sentAt: number;
}

/**
 * Folds a response's headers in. A limit seen for the first time (or with a new size) is taken
 * as the server states it. A known one is only ever lowered, and only when the server shows
 * clearly less than we believe (someone else spends from the same organisation's limits, or a
 * bucket we thought refilled was not): raising it would forget calls we promised that the
 * server has not seen yet. `changed` says whether the levels moved.
 */
export function foldObservation(
  budget: RateBudget | undefined,
  { reading, sentAt }: Observation,
  now: number,
): { budget: RateBudget; changed: boolean } {
  const limits: RateBudget['limits'] = { ...budget?.limits };
  let changed = false;
  for (const name of limitNames) {
    const read = reading[name];
    if (!read) continue;
    // Requests and input tokens are counted when the server admits a call (about when we sent
    // it), output tokens when it answers (now): refill the reading from that moment.
    const countedAt = name === 'outputTokens' ? now : sentAt;
    const serverLevel = Math.min(read.capacity, read.remaining + refill(read.capacity, now - countedAt));
    const known = limits[name];
    const lower = known && known.capacity === read.capacity
      ? serverLevel < levelAt(known, now) - Math.max(1, read.capacity * CORRECTION_SHARE)
      : true;
    if (lower) {
      limits[name] = { capacity: read.capacity, level: serverLevel, at: now };
      changed = true;
    }
  }
  return { budget: { limits, observedAt: now }, changed };
}
