import { APIConnectionError, APIConnectionTimeoutError, APIError } from '@anthropic-ai/sdk';
import { type RateLimitReading, readRateLimitHeaders } from './rate-limit-headers';

export interface ClassifiedError {
  /** Anthropic's error type where it gave one; ours otherwise. */
  type: string;
  message: string;
  httpStatus?: number;
  retryable: boolean;
  /** Every other scene of the job would fail the same way (model gone, auth, spend limit). */
  jobFatal: boolean;
  /** The server's retry-after, in milliseconds. */
  retryAfterMs?: number;
  /** What the error response's `anthropic-ratelimit-*` headers said (a 429's matter most). */
  rateLimits?: RateLimitReading;
  /** The API's `request-id`, for a support ticket. */
  requestId?: string;
}

const typeByStatus: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

function retryAfterMs(headers: Headers | undefined): number | undefined {
  const ms = Number(headers?.get('retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return ms;
  const seconds = headers?.get('retry-after');
  if (!seconds) return undefined;
  const asNumber = Number(seconds);
  if (Number.isFinite(asNumber)) return Math.max(0, asNumber * 1_000);
  const date = Date.parse(seconds);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** `x-should-retry: true|false`: the API's own word on retrying, which the official SDKs obey. */
function shouldRetry(headers: Headers | undefined): boolean | undefined {
  const value = headers?.get('x-should-retry');
  return value === 'true' ? true : value === 'false' ? false : undefined;
}

/**
 * Sorts a failed Claude call into retry (429, 529, 5xx, timeouts, connection) or not, unless
 * the API said otherwise with `x-should-retry`. An error the API says is worth retrying is never
 * job-wide: it may pass.
 */
export function classifyError(err: unknown): ClassifiedError {
  if (err instanceof APIConnectionTimeoutError) {
    return { type: 'timeout', message: 'the Claude call timed out', retryable: true, jobFatal: false };
  }
  if (err instanceof APIConnectionError) {
    return { type: 'connection_error', message: `could not reach the Claude API: ${err.message}`, retryable: true, jobFatal: false };
  }
  if (err instanceof APIError && typeof err.status === 'number') {
    const status = err.status;
    const body = (err.error ?? {}) as { error?: { type?: string; message?: string; details?: { error_code?: string } } };
    const type = body.error?.type ?? typeByStatus[status] ?? (status >= 500 ? 'api_error' : 'http_error');
    const message = body.error?.message ?? err.message;
    const spendLimit = status === 429 && body.error?.details?.error_code === 'enforced_spend_limit_reached';
    const told = spendLimit ? undefined : shouldRetry(err.headers);
    const jobFatal = told !== true && (spendLimit || status === 401 || status === 403 || status === 404);
    const retryable = told ?? (!jobFatal && (status === 408 || status === 409 || status === 429 || status >= 500));
    return {
      type: spendLimit ? 'spend_limit_reached' : type,
      message,
      httpStatus: status,
      retryable,
      jobFatal,
      retryAfterMs: retryAfterMs(err.headers),
      rateLimits: readRateLimitHeaders(err.headers),
      requestId: err.requestID ?? undefined,
    };
  }
  return { type: 'internal_error', message: err instanceof Error ? err.message : String(err), retryable: false, jobFatal: false };
}
