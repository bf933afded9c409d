/** Chance (0..1) of each injected fault per /v1/messages request; they must sum to at most 1. */
export interface FaultRates {
  /** 429 rate_limit_error with retry-after. */
  rateLimit: number;
  /** 500 api_error. */
  apiError: number;
  /** 529 overloaded_error. */
  overloaded: number;
  /** Accept the request and never answer. */
  hang: number;
}

export type Fault = 'none' | 'rateLimit' | 'apiError' | 'overloaded' | 'hang';

export interface RequestDraw {
  fault: Fault;
  /** Extra latency for this request, 0..jitterMs. */
  jitterMs: number;
  /** Whether a structured answer to this request breaks the caps it was hinted. */
  oversize: boolean;
}

/** mulberry32: small, fast and good enough to make fault injection reproducible. */
export function createPrng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const faultOrder = ['rateLimit', 'apiError', 'overloaded', 'hang'] as const;

/** Picks a fault from one uniform draw, each fault owning a slice of [0, 1) as wide as its rate. */
export function pickFault(rates: FaultRates, u: number): Fault {
  let edge = 0;
  for (const fault of faultOrder) {
    edge += rates[fault];
    if (u < edge) return fault;
  }
  return 'none';
}

// The answer's draws come from a second stream, so that a seed gives the same faults and
// jitter as before oversize answers existed.
const answerStream = (seed: number) => createPrng((seed ^ 0x9e3779b9) >>> 0);

/**
 * Decides each request's fate when it arrives. Every request takes exactly two draws from the
 * fault stream and one from the answer stream, whatever happens to it later, so the n-th
 * request's fault, jitter and oversize depend only on the seed and n.
 */
export class FaultInjector {
  private next: () => number;
  private nextForAnswer: () => number;

  constructor(private seed: number) {
    this.next = createPrng(seed);
    this.nextForAnswer = answerStream(seed);
  }

  /** Starts the sequence again, from a new seed if one is given. */
  restart(seed: number = this.seed): void {
    this.seed = seed;
    this.next = createPrng(seed);
    this.nextForAnswer = answerStream(seed);
  }

  draw(rates: FaultRates, jitterMs: number, oversizeRate = 0): RequestDraw {
    const faultDraw = this.next();
    const jitterDraw = this.next();
    const oversizeDraw = this.nextForAnswer();
    return { fault: pickFault(rates, faultDraw), jitterMs: Math.floor(jitterDraw * (jitterMs + 1)), oversize: oversizeDraw < oversizeRate };
  }
}
