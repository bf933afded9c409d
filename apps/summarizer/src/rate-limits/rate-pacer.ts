import { Semaphore } from '@scenewise/messaging';
import type { Logger } from '@scenewise/telemetry';
import { type CallCost, foldObservation, hasQueuedTurns, isRoomy, type Lease, type RateBudget, settleUsage, takeLease, touchedAt } from './rate-budget';
import type { RateLimitReading } from '@scenewise/claude';

export interface StoredBudget {
  budget: RateBudget;
  revision: number;
}

/** Where the fleet's budgets live (NATS KV in the service, a Map in tests). */
export interface BudgetStore {
  read(key: string): Promise<StoredBudget | null>;
  /**
   * Writes only if the entry is still at `revision` (null: only if there is none yet).
   * Returns the new revision, or null when another instance wrote first.
   */
  write(key: string, budget: RateBudget, revision: number | null): Promise<number | null>;
}

/** What a finished call used: for the next calls' estimates, and to settle what its turn took. */
export interface CallUsage {
  inputTokens: number;
  outputTokens: number;
  textChars: number;
  /** What the call's turn took from the budget (`Turn.reserved`). */
  reserved?: CallCost;
}

export interface Turn {
  /** False when the call goes without a turn from the budget (nothing known yet, or no store). */
  paced: boolean;
  /** How long the caller waited for it. */
  waitedMs: number;
  /** What the turn took from the budget, to settle against the call's usage. */
  reserved?: CallCost;
}

export interface RatePacerOptions {
  store: BudgetStore;
  logger: Logger;
  /** Calls one lease may cover: this instance's concurrency. */
  maxLease: number;
  /** Characters of every request besides the scene (system prompt, instructions). */
  promptOverheadChars: number;
  /**
   * A budget with no calls queued that nobody has touched for this long is not trusted:
   * another client of the same organisation may have spent what refilled meanwhile. While a
   * job runs, turns and answers touch it every few calls; after it, the next job's first call
   * probes. @default 250
   */
  trustMs?: number;
  /** A store call slower than this counts as a failure. @default 2000 */
  storeTimeoutMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * While nothing is known, the first call goes alone and the rest wait for its answer (a 429
 * comes back at once), or this long; then they follow 1, 2, 4, 8… per RAMP_STEP_MS.
 */
const FIRST_ANSWER_WAIT_MS = 250;
const RAMP_STEP_MS = 10;
/** A blind ramp this old is over: the next blind call probes again. */
const RAMP_RESET_MS = 2_000;
/**
 * A budget whose every bucket would hold a hundred bursts of this instance's calls is trusted
 * however old: nobody can have spent it all unseen. (An unlimited key looks like this.)
 */
const ROOMY_BURSTS = 100;
/** Leased calls not used within this long are dropped (the budget they came from moved on). */
const LEASE_TTL_MS = 1_000;
/** An instance confirms the budget is current at most this often when nothing changed. */
const REFRESH_MS = 250;
/** Compare-and-set attempts per turn before the call goes unpaced (with backoff between). */
const WRITE_ATTEMPTS = 20;
/**
 * A read of the budget serves the calls of the next few milliseconds: hundreds of calls asking
 * at once would otherwise queue behind a store round trip each. Our own writes refresh it, and
 * a stale copy costs only a failed compare-and-set.
 */
const READ_CACHE_MS = 5;
/** After the store fails, the pacer goes on from its own copy of the budget for this long. */
const STORE_BACKOFF_MS = 5_000;

interface Decision {
  at: number;
  blind: boolean;
  reserved?: CallCost;
}

interface ModelPacing {
  key: string;
  lock: Semaphore;
  /** The last budget read or written here (null: there was none), and when. */
  cached?: { stored: StoredBudget | null; at: number };
  /** Calls taken from the budget in one write, not used yet. */
  lease?: { calls: number; takenAt: number; startAt: number; cost: CallCost };
  lastObservedAt: number;
  /** The write of the latest answer's headers, while it is under way. */
  recording?: Promise<void>;
  ramp?: { startedAt: number; calls: number };
  /** Resolved by the next answer heard, so blind callers can look again at once. */
  nextAnswer: { heard: Promise<void>; resolve: () => void };
  charsPerInputToken: number;
  outputTokens: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One key per model, its id in base64url: a KV key allows only letters, digits and `-_/=.`. */
export const budgetKey = (model: string) => `model.${Buffer.from(model).toString('base64url')}`;

class StoreTimeoutError extends Error {}

function answerSignal(): ModelPacing['nextAnswer'] {
  let resolve!: () => void;
  const heard = new Promise<void>((r) => (resolve = r));
  return { heard, resolve };
}

/**
 * Paces this instance's Claude calls against the organisation's rate limits, together with
 * every other instance: each call takes its turn from the shared budget (a mirror of the
 * server's buckets kept from the `anthropic-ratelimit-*` headers), so the fleet sends at the
 * rate the limits allow instead of bursting into 429s and backing off blindly.
 *
 * A store that fails or is slow never holds calls up: for a while the pacer goes on from its
 * own last copy of the budget (or lets calls go unpaced if it has none; 429s are still
 * retried), then asks the store again.
 */
export class RatePacer {
  private readonly models = new Map<string, ModelPacing>();
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly trustMs: number;
  private readonly storeTimeoutMs: number;
  private storeFailedAt = -Infinity;

  constructor(private readonly options: RatePacerOptions) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? defaultSleep;
    this.trustMs = options.trustMs ?? 250;
    this.storeTimeoutMs = options.storeTimeoutMs ?? 2_000;
  }

  /** Resolves when a call of `model` with `textChars` of scene text may go out. */
  async acquire(model: string, textChars: number): Promise<Turn> {
    const pacing = this.pacing(model);
    const askedAt = this.now();
    let blindTurn: number | undefined;
    for (;;) {
      // One caller at a time per model talks to the store: the others would only lose the
      // compare-and-set to it, and can often use the calls its lease brings back.
      await pacing.lock.acquire();
      let decision: Decision;
      try {
        decision = await this.decide(pacing, textChars, blindTurn);
      } finally {
        pacing.lock.release();
      }
      if (!decision.blind || decision.at <= this.now()) {
        await this.waitUntil(decision.at);
        return { paced: !decision.blind, waitedMs: this.now() - askedAt, reserved: decision.reserved };
      }
      // A blind turn: look again when it comes, or as soon as an answer says where the limits stand.
      blindTurn = decision.at;
      await Promise.race([this.waitUntil(decision.at), pacing.nextAnswer.heard]);
    }
  }

  /**
   * Folds in what an answer (or a 429) said about the limits, and the call's usage, which
   * sharpens the next calls' token estimates. Never throws; the write happens in the background.
   */
  observe(model: string, reading: RateLimitReading, usage?: CallUsage): void {
    const pacing = this.pacing(model);
    if (usage && usage.inputTokens > 0) {
      const chars = this.options.promptOverheadChars + usage.textChars;
      pacing.charsPerInputToken = 0.8 * pacing.charsPerInputToken + 0.2 * (chars / usage.inputTokens);
      pacing.outputTokens = 0.8 * pacing.outputTokens + 0.2 * usage.outputTokens;
    }
    const { resolve } = pacing.nextAnswer;
    pacing.nextAnswer = answerSignal();
    resolve();
    const heard = Object.keys(reading).length > 0;
    if (!heard && !usage?.reserved) return;
    const now = this.now();
    if (heard) pacing.lastObservedAt = now;
    if (this.storeResting()) {
      const stored = pacing.cached?.stored;
      const budget = this.updatedBudget(stored?.budget, reading, usage, now).budget;
      pacing.cached = { stored: { budget, revision: stored?.revision ?? 0 }, at: now };
      return;
    }
    const recording = this.recordObservation(pacing, reading, usage)
      .catch((err: unknown) => this.storeFailed(err))
      .finally(() => {
        if (pacing.recording === recording) pacing.recording = undefined;
      });
    pacing.recording = recording;
  }

  private async decide(pacing: ModelPacing, textChars: number, blindTurn: number | undefined): Promise<Decision> {
    const { lease } = pacing;
    if (lease && lease.calls > 0 && this.now() - lease.takenAt < LEASE_TTL_MS) {
      lease.calls--;
      return { at: lease.startAt, blind: false, reserved: lease.cost };
    }
    pacing.lease = undefined;
    if (this.storeResting()) return this.decideLocally(pacing, textChars, blindTurn);
    try {
      // An answer just heard (a 429 above all) is what the next turn must be decided on.
      await pacing.recording;
      for (let attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
        const stored = await this.read(pacing);
        const now = this.now();
        if (!stored || !this.trusted(pacing, stored.budget, now, textChars)) return this.blindDecision(pacing, now, blindTurn);
        const cost = this.cost(pacing, textChars);
        const taken = takeLease(stored.budget, cost, this.options.maxLease, now);
        const revision = await this.withTimeout(this.options.store.write(pacing.key, taken.budget, stored.revision));
        if (revision !== null) return this.keepLease(pacing, taken, cost, revision, now);
        // Another instance took a turn first: read again, after a moment that spreads the retries.
        pacing.cached = undefined;
        await this.sleep(Math.random() * attempt);
      }
      this.options.logger.warn({ model: pacing.key }, 'rate budget contended past every retry; this call goes unpaced');
    } catch (err) {
      this.storeFailed(err);
      return this.decideLocally(pacing, textChars, blindTurn);
    }
    return { at: this.now(), blind: true };
  }

  /**
   * Without the store, this instance goes on from its last copy of the budget on its own: it
   * can no longer see the others' turns, but it keeps its own calls in step.
   */
  private decideLocally(pacing: ModelPacing, textChars: number, blindTurn: number | undefined): Decision {
    const stored = pacing.cached?.stored;
    const now = this.now();
    if (!stored || !this.trusted(pacing, stored.budget, now, textChars)) return this.blindDecision(pacing, now, blindTurn);
    const cost = this.cost(pacing, textChars);
    return this.keepLease(pacing, takeLease(stored.budget, cost, this.options.maxLease, now), cost, stored.revision, now);
  }

  /** The lease is this instance's now: its copy of the budget (at `revision`), its calls, its first turn. */
  private keepLease(pacing: ModelPacing, taken: Lease, cost: CallCost, revision: number, now: number): Decision {
    pacing.ramp = undefined;
    pacing.cached = { stored: { budget: taken.budget, revision }, at: now };
    pacing.lease = { calls: taken.calls - 1, takenAt: now, startAt: taken.startAt, cost };
    return { at: taken.startAt, blind: false, reserved: cost };
  }

  /** Nothing current is known: the caller's blind turn (kept across looks, or its next one). */
  private blindDecision(pacing: ModelPacing, now: number, blindTurn: number | undefined): Decision {
    return { at: blindTurn ?? this.nextBlindTurn(pacing, now), blind: true };
  }

  /**
   * The budget with an answer folded in: the server's reading, and what the call used beyond
   * what its turn took, for each token limit small enough to matter (an unlimited key's would
   * only cost a write per call).
   */
  private updatedBudget(budget: RateBudget | undefined, reading: RateLimitReading, usage: CallUsage | undefined, now: number) {
    const observed = foldObservation(budget, reading, now);
    const reserved = usage?.reserved;
    if (!usage || !reserved) return observed;
    const overuse: Partial<CallCost> = {};
    for (const name of ['inputTokens', 'outputTokens'] as const) {
      const limit = observed.budget.limits[name];
      if (limit && limit.capacity < ROOMY_BURSTS * this.options.maxLease * reserved[name]) overuse[name] = usage[name] - reserved[name];
    }
    const settled = settleUsage(observed.budget, overuse, now);
    return { budget: settled.budget, changed: observed.changed || settled.changed };
  }

  /**
   * A budget is current if someone wrote it or heard the server lately, if calls are still
   * queued in it (at a low limit, turns are further apart than any freshness window), or if
   * its buckets are so large that no burst of ours could find them empty.
   */
  private trusted(pacing: ModelPacing, budget: RateBudget, now: number, textChars: number): boolean {
    return (
      now - touchedAt(budget) <= this.trustMs ||
      now - pacing.lastObservedAt <= this.trustMs ||
      hasQueuedTurns(budget, now) ||
      isRoomy(budget, this.cost(pacing, textChars), ROOMY_BURSTS * this.options.maxLease)
    );
  }

  private async recordObservation(pacing: ModelPacing, reading: RateLimitReading, usage: CallUsage | undefined): Promise<void> {
    for (let attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
      const stored = attempt === 1 && pacing.cached ? pacing.cached.stored : await this.read(pacing, true);
      const now = this.now();
      const { budget, changed } = this.updatedBudget(stored?.budget, reading, usage, now);
      if (stored && !changed && now - stored.budget.observedAt < REFRESH_MS) return;
      const revision = await this.withTimeout(this.options.store.write(pacing.key, budget, stored?.revision ?? null));
      if (revision !== null) {
        pacing.cached = { stored: { budget, revision }, at: now };
        return;
      }
      pacing.cached = undefined;
      await this.sleep(Math.random() * attempt);
    }
  }

  /** The budget, from the local copy when it is only milliseconds old. */
  private async read(pacing: ModelPacing, fresh = false): Promise<StoredBudget | null> {
    const now = this.now();
    if (!fresh && pacing.cached && now - pacing.cached.at < READ_CACHE_MS) return pacing.cached.stored;
    const stored = await this.withTimeout(this.options.store.read(pacing.key));
    pacing.cached = { stored, at: now };
    return stored;
  }

  /**
   * Nothing current is known (the first calls, or after an idle spell): the first call goes at
   * once; the next ones wait for its answer, or FIRST_ANSWER_WAIT_MS, then go at a doubling rate.
   */
  private nextBlindTurn(pacing: ModelPacing, now: number): number {
    if (!pacing.ramp || now - pacing.ramp.startedAt > RAMP_RESET_MS) pacing.ramp = { startedAt: now, calls: 0 };
    const call = pacing.ramp.calls++;
    return call === 0 ? now : pacing.ramp.startedAt + FIRST_ANSWER_WAIT_MS + RAMP_STEP_MS * Math.log2(call);
  }

  private cost(pacing: ModelPacing, textChars: number): CallCost {
    return {
      requests: 1,
      inputTokens: Math.ceil((this.options.promptOverheadChars + textChars) / pacing.charsPerInputToken),
      outputTokens: Math.ceil(pacing.outputTokens),
    };
  }

  private withTimeout<T>(operation: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new StoreTimeoutError(`rate budget store took over ${this.storeTimeoutMs} ms`)), this.storeTimeoutMs);
    });
    return Promise.race([operation, timeout]).finally(() => clearTimeout(timer));
  }

  private storeResting(): boolean {
    return this.now() - this.storeFailedAt < STORE_BACKOFF_MS;
  }

  private storeFailed(err: unknown): void {
    if (!this.storeResting()) {
      this.options.logger.warn({ err }, `rate budget store unavailable; pacing from this instance's own copy for ${STORE_BACKOFF_MS / 1000} s`);
    }
    this.storeFailedAt = this.now();
  }

  private async waitUntil(at: number): Promise<void> {
    const ms = at - this.now();
    if (ms > 0) await this.sleep(ms);
  }

  private pacing(model: string): ModelPacing {
    let pacing = this.models.get(model);
    if (!pacing) {
      pacing = {
        key: budgetKey(model),
        lock: new Semaphore(1),
        lastObservedAt: -Infinity,
        nextAnswer: answerSignal(),
        // English prose runs about 4 characters per token; 3.5 errs on the side of more tokens
        // until the first answers say.
        charsPerInputToken: 3.5,
        outputTokens: 300,
      };
      this.models.set(model, pacing);
    }
    return pacing;
  }
}
