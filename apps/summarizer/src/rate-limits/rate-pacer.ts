import { Semaphore } from '@scenewise/messaging';
import type { Logger } from '@scenewise/telemetry';
import { type CallCost, foldObservation, type RateBudget, takeLease, touchedAt } from './rate-budget';
import type { RateLimitReading } from './rate-limit-headers';

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

export interface RatePacerOptions {
  store: BudgetStore;
  logger: Logger;
  /** Calls one lease may cover: this instance's concurrency. */
  maxLease: number;
  /** Characters of every request besides the scene (system prompt, instructions). */
  promptOverheadChars: number;
  /**
   * A budget nobody has touched for this long is not trusted: another client of the same
   * organisation may have spent the buckets meanwhile. @default 1500
   */
  trustMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Blind calls (budget unknown) are let out 1, 2, 4, 8… per this many ms, so a 429 comes back before a burst leaves. */
const RAMP_STEP_MS = 10;
/** Leased calls not used within this long are dropped (the budget they came from moved on). */
const LEASE_TTL_MS = 1_000;
/** An instance confirms the budget is current at most this often when nothing changed. */
const REFRESH_MS = 250;
const WRITE_ATTEMPTS = 50;
/**
 * A read of the budget serves the calls of the next few milliseconds: hundreds of calls asking
 * at once would otherwise queue behind a store round trip each. Our own writes refresh it, and
 * a stale copy costs only a failed compare-and-set.
 */
const READ_CACHE_MS = 5;

interface Turn {
  at: number;
  /** False: a blind turn, taken while nothing current is known of the limits. */
  paced: boolean;
}

interface ModelPacing {
  key: string;
  lock: Semaphore;
  /** The last budget read or written here (null: there was none), and when. */
  cached?: { stored: StoredBudget | null; at: number };
  leased: number;
  leasedAt: number;
  leaseStartAt: number;
  lastObservedAt: number;
  rampStartedAt?: number;
  blindCalls: number;
  charsPerInputToken: number;
  outputTokens: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** NATS KV keys allow letters, digits, `-`, `_`, `/`, `=` and `.` as a separator. */
export const budgetKey = (model: string) => `model.${model.replace(/[^A-Za-z0-9_-]/g, '_')}`;

/**
 * Paces this instance's Claude calls against the organisation's rate limits, together with
 * every other instance: each call takes its turn from the shared budget (a mirror of the
 * server's buckets kept from the `anthropic-ratelimit-*` headers), so the fleet sends at the
 * rate the limits allow instead of bursting into 429s and backing off blindly.
 *
 * Failure to reach the store never stops a call: it goes unpaced, and a 429 is still retried.
 */
export class RatePacer {
  private readonly models = new Map<string, ModelPacing>();
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly trustMs: number;
  private lastStoreWarning = 0;

  constructor(private readonly options: RatePacerOptions) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? defaultSleep;
    this.trustMs = options.trustMs ?? 1_500;
  }

  /** Resolves when a call of `model` with `textChars` of scene text may go out. */
  async acquire(model: string, textChars: number): Promise<void> {
    const pacing = this.pacing(model);
    let blindTurn: number | undefined;
    for (;;) {
      // One caller at a time per model talks to the store: the others would only lose the
      // compare-and-set to it, and can often use the calls its lease brings back.
      await pacing.lock.acquire();
      let turn: Turn;
      try {
        turn = await this.nextTurn(pacing, textChars, blindTurn);
      } finally {
        pacing.lock.release();
      }
      if (turn.paced || turn.at <= this.now()) return this.waitUntil(turn.at);
      // A blind turn: look again when it comes, the first answers may have said where the limits stand.
      blindTurn = turn.at;
      await this.waitUntil(turn.at);
    }
  }

  private async nextTurn(pacing: ModelPacing, textChars: number, blindTurn: number | undefined): Promise<Turn> {
    if (pacing.leased > 0 && this.now() - pacing.leasedAt < LEASE_TTL_MS) {
      pacing.leased--;
      return { at: pacing.leaseStartAt, paced: true };
    }
    pacing.leased = 0;
    try {
      for (let conflicts = 0; conflicts < WRITE_ATTEMPTS; conflicts++) {
        const stored = await this.read(pacing);
        const now = this.now();
        const trusted = stored && (now - touchedAt(stored.budget) <= this.trustMs || now - pacing.lastObservedAt <= this.trustMs);
        if (!stored || !trusted) return { at: blindTurn ?? this.nextBlindTurn(pacing, now), paced: false };
        pacing.rampStartedAt = undefined;
        const lease = takeLease(stored.budget, this.cost(pacing, textChars), this.options.maxLease, now);
        const revision = await this.options.store.write(pacing.key, lease.budget, stored.revision);
        if (revision === null) {
          pacing.cached = undefined;
          continue;
        }
        pacing.cached = { stored: { budget: lease.budget, revision }, at: now };
        pacing.leased = lease.calls - 1;
        pacing.leasedAt = now;
        pacing.leaseStartAt = lease.startAt;
        return { at: lease.startAt, paced: true };
      }
      this.options.logger.warn({ model: pacing.key }, 'rate budget contended past every retry; this call goes unpaced');
    } catch (err) {
      this.warnStore(err);
    }
    return { at: this.now(), paced: false };
  }

  /**
   * Folds in what a response (or a 429) said about the limits, and the call's usage, which
   * sharpens the next calls' token estimates. Never throws; the write happens in the background.
   */
  observe(model: string, reading: RateLimitReading, sentAt: number, usage?: { inputTokens: number; outputTokens: number; textChars: number }): void {
    const pacing = this.pacing(model);
    if (usage && usage.inputTokens > 0) {
      const chars = this.options.promptOverheadChars + usage.textChars;
      pacing.charsPerInputToken = 0.8 * pacing.charsPerInputToken + 0.2 * (chars / usage.inputTokens);
      pacing.outputTokens = 0.8 * pacing.outputTokens + 0.2 * usage.outputTokens;
    }
    if (Object.keys(reading).length === 0) return;
    const now = this.now();
    pacing.lastObservedAt = now;
    this.recordObservation(pacing, reading, sentAt).catch((err: unknown) => this.warnStore(err));
  }

  private async recordObservation(pacing: ModelPacing, reading: RateLimitReading, sentAt: number): Promise<void> {
    for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
      const stored = attempt === 0 && pacing.cached ? pacing.cached.stored : await this.read(pacing, true);
      const now = this.now();
      const { budget, changed } = foldObservation(stored?.budget, { reading, sentAt }, now);
      if (stored && !changed && now - stored.budget.observedAt < REFRESH_MS) return;
      const revision = await this.options.store.write(pacing.key, budget, stored?.revision ?? null);
      if (revision !== null) {
        pacing.cached = { stored: { budget, revision }, at: now };
        return;
      }
      pacing.cached = undefined;
    }
  }

  /** The budget, from the local copy when it is only milliseconds old. */
  private async read(pacing: ModelPacing, fresh = false): Promise<StoredBudget | null> {
    const now = this.now();
    if (!fresh && pacing.cached && now - pacing.cached.at < READ_CACHE_MS) return pacing.cached.stored;
    const stored = await this.options.store.read(pacing.key);
    pacing.cached = { stored, at: now };
    return stored;
  }

  /**
   * Nothing current is known (the first calls, or after an idle spell): calls get turns at a
   * doubling rate, 1, 2, 4, 8… per step, until the first answer says where the limits stand.
   */
  private nextBlindTurn(pacing: ModelPacing, now: number): number {
    if (pacing.rampStartedAt === undefined || now - pacing.rampStartedAt > this.trustMs) {
      pacing.rampStartedAt = now;
      pacing.blindCalls = 0;
    }
    return pacing.rampStartedAt + RAMP_STEP_MS * Math.log2(++pacing.blindCalls);
  }

  private cost(pacing: ModelPacing, textChars: number): CallCost {
    return {
      requests: 1,
      inputTokens: Math.ceil((this.options.promptOverheadChars + textChars) / pacing.charsPerInputToken),
      outputTokens: Math.ceil(pacing.outputTokens),
    };
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
        leased: 0,
        leasedAt: 0,
        leaseStartAt: 0,
        lastObservedAt: 0,
        blindCalls: 0,
        // English prose runs about 4 characters per token; the first answers correct it.
        charsPerInputToken: 3.5,
        outputTokens: 300,
      };
      this.models.set(model, pacing);
    }
    return pacing;
  }

  private warnStore(err: unknown): void {
    const now = this.now();
    if (now - this.lastStoreWarning < 30_000) return;
    this.lastStoreWarning = now;
    this.options.logger.warn({ err }, 'rate budget store unavailable; Claude calls go unpaced until it is back');
  }
}
