import { randomBytes } from 'node:crypto';

/** Anthropic's error types and the HTTP status each one is sent with. */
export const ErrorStatus = {
  invalid_request_error: 400,
  authentication_error: 401,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  overloaded_error: 529,
} as const;
export type ErrorType = keyof typeof ErrorStatus;

export interface ErrorBody {
  type: 'error';
  error: { type: ErrorType; message: string; details?: { error_code: string } };
  request_id: string;
}

/** An error the server answers with, in Anthropic's shape. Thrown inside handlers. */
export class ApiError extends Error {
  readonly status: number;

  constructor(
    readonly type: ErrorType,
    message: string,
    readonly options: { errorCode?: string; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = ErrorStatus[type];
  }

  /**
   * The `x-should-retry` the API sends with it, which the SDK obeys before its own status rules:
   * true for rate limits, internal errors and overload, false for the rest and for a spend limit,
   * which waiting a few seconds does not lift.
   */
  get shouldRetry(): boolean {
    if (this.options.errorCode === 'enforced_spend_limit_reached') return false;
    return this.type === 'rate_limit_error' || this.type === 'api_error' || this.type === 'overloaded_error';
  }

  toBody(requestId: string): ErrorBody {
    const error: ErrorBody['error'] = { type: this.type, message: this.message };
    if (this.options.errorCode) error.details = { error_code: this.options.errorCode };
    return { type: 'error', error, request_id: requestId };
  }
}

const base62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function randomId(prefix: string): string {
  // Same look as the real IDs ("req_011CSLsW7mFqvHHnzrKdKjAE"): a prefix and 24 base62 characters.
  const bytes = randomBytes(24);
  let id = `${prefix}_011C`;
  for (let i = 0; i < 20; i++) id += base62[bytes[i]! % 62];
  return id;
}

export const newRequestId = (): string => randomId('req');
export const newMessageId = (): string => randomId('msg');
export const newToolUseId = (): string => randomId('toolu');
