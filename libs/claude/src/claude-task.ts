import type Anthropic from '@anthropic-ai/sdk';
import type { MessageParam } from '@anthropic-ai/sdk/resources/messages';
import { costUsd, type ModelRole } from '@scenewise/model-config';
import type { Logger } from '@scenewise/telemetry';
import { callClaude, type CallAnswer, type TokenUsage } from './claude-call';
import { type ClassifiedError, classifyError } from './classify-error';
import type { RateLimitReading } from './rate-limit-headers';
import type { StructuredOutput } from './structured-output';

/** One piece of work for Claude: who answers, what is asked, and the shape of the answer. */
export interface ClaudeTaskRequest<T> {
  /** Names the task in logs (`scene_summary`). */
  task: string;
  role: ModelRole;
  /** The pinned model the role resolved to (the orchestrator's pre-flight checked it). */
  model: string;
  system: string;
  messages: MessageParam[];
  output: StructuredOutput<T>;
}

/** A turn under the organisation's rate limits (the summarizer's RatePacer gives them). */
export interface PacingTurn {
  /** False when the call goes without a turn from the budget. */
  paced: boolean;
  waitedMs: number;
  /** What the turn took from the budget, handed back with the call's usage. */
  reserved?: unknown;
}

export interface CallPacing {
  acquire(model: string, textChars: number): Promise<PacingTurn>;
  observe(model: string, reading: RateLimitReading, usage?: { inputTokens: number; outputTokens: number; textChars: number; reserved?: unknown }): void;
}

/** What every attempt together cost: each answer that came back was paid for, used or not. */
export interface TaskSpend {
  usage: TokenUsage;
  /** USD; null when the model has no known price. */
  costUsd: number | null;
  /** Every answered call's `request-id`, in order. */
  requestIds: string[];
}

export type ClaudeTaskOutcome<T> =
  | ({ status: 'succeeded'; output: T; repairs: string[]; responseModel: string; latencyMs: number; attempts: number } & TaskSpend)
  | ({ status: 'failed'; error: ClassifiedError; attempts: number } & TaskSpend)
  | ({ status: 'cancelled'; attempts: number } & TaskSpend);

export interface ClaudeTaskOptions {
  /** Calls that failed with a retryable API error before the task fails (the first call included). */
  maxAttempts: number;
  /** `max_tokens` of the first call. */
  maxTokens: number;
  /** `max_tokens` of the one retry after an answer was cut off. @default 4 × maxTokens */
  maxTokensCap?: number;
  /** @default true */
  structuredOutputs?: boolean;
  /** First retry delay; doubles per attempt. @default 1000 */
  retryBaseMs?: number;
  /**
   * Called before every attempt; false means the task was cancelled meanwhile (the job failed
   * fast or a person cancelled it), so no further call goes out.
   */
  beforeAttempt: (attempt: number, waitedForTurnMs: number) => Promise<boolean>;
  /** @default real sleep; tests shorten it */
  sleep?: (ms: number) => Promise<void>;
  pacing?: CallPacing;
  logger: Logger;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Exponential backoff with full jitter, unless the server said when to come back. */
export function retryDelayMs(attempt: number, error: Pick<ClassifiedError, 'retryAfterMs'>, baseMs = 1_000, random = Math.random): number {
  if (error.retryAfterMs !== undefined) return Math.min(error.retryAfterMs, 60_000);
  return Math.round(Math.min(30_000, baseMs * 2 ** (attempt - 1)) * (0.5 + random() / 2));
}

/**
 * Rate-limit answers (429 with retry-after) say when to come back: waiting them out is pacing,
 * not failing, so they have their own, larger budget than other errors.
 */
const RATE_LIMIT_WAITS = 40;

const textChars = (messages: MessageParam[]) =>
  messages.reduce((n, m) => n + (typeof m.content === 'string' ? m.content.length : JSON.stringify(m.content).length), 0);

function addUsage(total: TokenUsage, usage: TokenUsage): TokenUsage {
  return {
    inputTokens: total.inputTokens + usage.inputTokens,
    outputTokens: total.outputTokens + usage.outputTokens,
    cacheReadTokens: total.cacheReadTokens + usage.cacheReadTokens,
    cacheWriteTokens: total.cacheWriteTokens + usage.cacheWriteTokens,
  };
}

const answerError = (answer: CallAnswer<unknown>): ClassifiedError => ({
  type: answer.unusable!.type,
  message: answer.unusable!.message,
  retryable: false,
  jobFatal: false,
  requestId: answer.requestId,
});

/**
 * Runs a Claude task to an outcome: the one place its retries happen (the SDK's own are off,
 * and JetStream redelivery is only for a worker that died).
 * - API errors: retryable ones (429, 529, 5xx, timeouts, connection, or `x-should-retry: true`)
 *   with backoff that honours retry-after, up to `maxAttempts`; 429s have a budget of their own.
 * - An answer cut off at `max_tokens`: once more with `maxTokensCap`, then `output_truncated`.
 * - An answer with nothing usable: once more, then `invalid_output`, naming what was wrong.
 * - A refusal: the task fails at once as `refused`; asking again would only cost more.
 */
export async function runClaudeTask<T>(client: Anthropic, request: ClaudeTaskRequest<T>, options: ClaudeTaskOptions): Promise<ClaudeTaskOutcome<T>> {
  const sleep = options.sleep ?? defaultSleep;
  const structuredOutputs = options.structuredOutputs ?? true;
  const chars = textChars(request.messages);
  let maxTokens = options.maxTokens;
  const maxTokensCap = options.maxTokensCap ?? options.maxTokens * 4;
  let spend: TaskSpend = { usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 }, costUsd: 0, requestIds: [] };
  const retried = { failures: 0, rateLimits: 0, truncated: 0, invalid: 0 };

  for (let attempt = 1; ; attempt++) {
    // The turn first, then the claim: a turn can take minutes at a low limit, and a task
    // cancelled meanwhile must not get its call.
    const turn = await options.pacing?.acquire(request.model, chars);
    if (!(await options.beforeAttempt(attempt, turn?.waitedMs ?? 0))) return { status: 'cancelled', attempts: attempt - 1, ...spend };
    let answer: CallAnswer<T>;
    try {
      answer = await callClaude(client, { model: request.model, system: request.system, messages: request.messages, output: request.output, maxTokens, structuredOutputs, attempt });
    } catch (err) {
      const error = classifyError(err);
      if (error.rateLimits) options.pacing?.observe(request.model, error.rateLimits);
      const isRateLimit = error.type === 'rate_limit_error' && error.retryable;
      const tries = isRateLimit ? ++retried.rateLimits : ++retried.failures;
      const exhausted = isRateLimit ? tries >= RATE_LIMIT_WAITS : tries >= options.maxAttempts;
      if (!error.retryable || exhausted) return { status: 'failed', error, attempts: attempt, ...spend };
      // Unpaced, jitter spreads the instances that were told the same retry-after; paced, the
      // retry queues for its turn like every other call.
      const jitter = isRateLimit && !turn?.paced ? Math.round(Math.random() * 500) : 0;
      const delay = retryDelayMs(tries, error, options.retryBaseMs) + jitter;
      options.logger.warn(
        { attempt, errorType: error.type, httpStatus: error.httpStatus, requestId: error.requestId, retryInMs: delay },
        'Claude call failed; retrying',
      );
      await sleep(delay);
      continue;
    }

    options.pacing?.observe(request.model, answer.rateLimits, { ...answer.usage, textChars: chars, reserved: turn?.reserved });
    const usage = addUsage(spend.usage, answer.usage);
    const price = costUsd(answer.responseModel, answer.usage) ?? costUsd(request.model, answer.usage);
    spend = {
      usage,
      costUsd: spend.costUsd === null || price === null ? null : spend.costUsd + price,
      requestIds: answer.requestId ? [...spend.requestIds, answer.requestId] : spend.requestIds,
    };
    if (answer.output !== undefined) {
      if (answer.repairs.length > 0) options.logger.info({ requestId: answer.requestId, repairs: answer.repairs }, 'answer mended to fit its caps');
      return { status: 'succeeded', output: answer.output, repairs: answer.repairs, responseModel: answer.responseModel, latencyMs: answer.latencyMs, attempts: attempt, ...spend };
    }

    const error = answerError(answer);
    const again =
      (error.type === 'output_truncated' && maxTokens < maxTokensCap && retried.truncated++ === 0) ||
      (error.type === 'invalid_output' && retried.invalid++ === 0);
    if (!again) return { status: 'failed', error, attempts: attempt, ...spend };
    if (error.type === 'output_truncated') maxTokens = maxTokensCap;
    options.logger.warn({ attempt, errorType: error.type, requestId: answer.requestId, stopReason: answer.stopReason, maxTokens }, `${error.message}; asking once more`);
  }
}
