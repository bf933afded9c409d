import { APIConnectionError, APIConnectionTimeoutError, APIError } from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { classifyError } from './classify-error';

const apiError = (status: number, body: object, headers: Record<string, string> = {}) =>
  APIError.generate(status, body, undefined, new Headers(headers));

describe('classifyError', () => {
  it.each([
    [429, 'rate_limit_error'],
    [529, 'overloaded_error'],
    [500, 'api_error'],
    [503, 'api_error'],
  ])('retries %i (%s)', (status, type) => {
    expect(classifyError(apiError(status, { type: 'error', error: { type, message: 'busy' } }))).toMatchObject({
      type,
      httpStatus: status,
      retryable: true,
      jobFatal: false,
    });
  });

  it('honours retry-after in seconds and retry-after-ms', () => {
    expect(classifyError(apiError(429, {}, { 'retry-after': '7' })).retryAfterMs).toBe(7_000);
    expect(classifyError(apiError(429, {}, { 'retry-after-ms': '250' })).retryAfterMs).toBe(250);
  });

  it.each([
    [400, 'invalid_request_error', false],
    [413, 'request_too_large', false],
    [401, 'authentication_error', true],
    [403, 'permission_error', true],
    [404, 'not_found_error', true],
  ])('does not retry %i; job-wide: %s', (status, type, jobFatal) => {
    expect(classifyError(apiError(status, { type: 'error', error: { type, message: 'no' } }))).toMatchObject({
      type,
      retryable: false,
      jobFatal,
    });
  });

  it('treats the spend-limit 429 as job-wide, not as a rate limit to wait out', () => {
    const error = apiError(429, {
      type: 'error',
      error: { type: 'rate_limit_error', message: 'spend limit reached', details: { error_code: 'enforced_spend_limit_reached' } },
    });
    expect(classifyError(error)).toMatchObject({ type: 'spend_limit_reached', retryable: false, jobFatal: true });
  });

  it('retries timeouts and connection errors', () => {
    expect(classifyError(new APIConnectionTimeoutError())).toMatchObject({ type: 'timeout', retryable: true });
    expect(classifyError(new APIConnectionError({ message: 'ECONNREFUSED' }))).toMatchObject({ type: 'connection_error', retryable: true });
  });

  it('obeys x-should-retry: false on a 529, true on a 404 (which then is no longer job-wide)', () => {
    expect(classifyError(apiError(529, {}, { 'x-should-retry': 'false' }))).toMatchObject({ type: 'overloaded_error', retryable: false, jobFatal: false });
    expect(classifyError(apiError(404, {}, { 'x-should-retry': 'true' }))).toMatchObject({ type: 'not_found_error', retryable: true, jobFatal: false });
    expect(classifyError(apiError(500, {}, { 'x-should-retry': 'maybe' }))).toMatchObject({ retryable: true });
  });

  it('keeps the request-id for a support ticket', () => {
    expect(classifyError(apiError(529, {}, { 'request-id': 'req_011CSHoEeqs5C35K2UUqR7Fy' })).requestId).toBe('req_011CSHoEeqs5C35K2UUqR7Fy');
  });

  it('does not retry our own bugs', () => {
    expect(classifyError(new TypeError('undefined is not a function'))).toMatchObject({ type: 'internal_error', retryable: false });
  });
});
