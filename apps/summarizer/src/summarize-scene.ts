import type Anthropic from '@anthropic-ai/sdk';
import type { Logger } from '@scenewise/telemetry';
import { type ClassifiedError, classifyError } from './classify-error';
import { callClaude, type ClaudeSummary } from './claude-call';
import type { RateLimitReading } from './rate-limits/rate-limit-headers';
import type { CallUsage, Turn } from './rate-limits/rate-pacer';

/** Turn-taking against the organisation's rate limits (the RatePacer). */
export interface CallPacing {
  acquire(model: string, textChars: number): Promise<Turn>;
  observe(model: string, reading: RateLimitReading, usage?: CallUsage): void;
}

export type SceneAttemptsOutcome =
  | { status: 'succeeded'; summary: ClaudeSummary; attempts: number }
  | { status: 'failed'; error: ClassifiedError; attempts: number }
  | { status: 'cancelled'; attempts: number };

export interface SummarizeOptions {
  maxAttempts: number;
  maxTokens: number;
  /** First retry delay; doubles per attempt. @default 1000 */
  retryBaseMs?: number;
  /**
   * Called before every attempt; false means the task was cancelled meanwhile (the job
   * failed fast or a person cancelled it), so no further call goes out.
   */
  beforeAttempt: (attempt: number, waitedForTurnMs: number) => Promise<boolean>;
  /** @default real sleep; tests shorten it */
  sleep?: (ms: number) => Promise<void>;
  /** Waits for the call's turn under the rate limits, and hears what the server said of them. */
  pacing?: CallPacing;
  logger: Logger;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Exponential backoff with full jitter, unless the server said when to come back. */
export function retryDelayMs(attempt: number, error: ClassifiedError, baseMs = 1_000, random = Math.random): number {
  if (error.retryAfterMs !== undefined) return Math.min(error.retryAfterMs, 60_000);
  return Math.round(Math.min(30_000, baseMs * 2 ** (attempt - 1)) * (0.5 + random() / 2));
}

/**
 * Rate-limit answers (429 with retry-after) say when to come back: waiting them out is
 * pacing, not failing, so they have their own, larger budget than other errors.
 */
const RATE_LIMIT_WAITS = 40;

/**
 * The one place retries happen: the SDK's own retries are off and JetStream redelivery is
 * only for a worker that died. Bounded attempts; a non-retryable error ends at once.
 */
export async function summarizeScene(
  client: Anthropic,
  request: { model: string; text: string },
  options: SummarizeOptions,
): Promise<SceneAttemptsOutcome> {
  const sleep = options.sleep ?? defaultSleep;
  let failures = 0;
  let rateLimited = 0;
  for (let attempt = 1; ; attempt++) {
    // The turn first, then the claim: a turn can take minutes at a low limit, and a job
    // cancelled meanwhile must not get its call. (A call that leaves later than its turn
    // never overspends the bucket; only an early one would.)
    const turn = await options.pacing?.acquire(request.model, request.text.length);
    if (!(await options.beforeAttempt(attempt, turn?.waitedMs ?? 0))) return { status: 'cancelled', attempts: attempt - 1 };
    try {
      const summary = await callClaude(client, { ...request, maxTokens: options.maxTokens, attempt });
      options.pacing?.observe(request.model, summary.rateLimits, { ...summary.usage, textChars: request.text.length, reserved: turn?.reserved });
      return { status: 'succeeded', summary, attempts: attempt };
    } catch (err) {
      const error = classifyError(err);
      if (error.rateLimits) options.pacing?.observe(request.model, error.rateLimits);
      const isRateLimit = error.type === 'rate_limit_error';
      if (isRateLimit) rateLimited++;
      else failures++;
      const exhausted = isRateLimit ? rateLimited >= RATE_LIMIT_WAITS : failures >= options.maxAttempts;
      if (!error.retryable || exhausted) return { status: 'failed', error, attempts: attempt };
      // Unpaced, jitter spreads the instances that were told the same retry-after; paced, the
      // retry queues for its turn like every other call.
      const jitter = isRateLimit && !turn?.paced ? Math.round(Math.random() * 500) : 0;
      const delay = retryDelayMs(isRateLimit ? rateLimited : failures, error, options.retryBaseMs) + jitter;
      options.logger.warn(
        { attempt, errorType: error.type, httpStatus: error.httpStatus, retryInMs: delay },
        'Claude call failed; retrying',
      );
      await sleep(delay);
    }
  }
}
