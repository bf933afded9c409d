import { describe, expect, it } from 'vitest';
import { ApiError, ErrorStatus, newMessageId, newRequestId, newToolUseId } from './errors';

describe('ApiError', () => {
  it('maps each error type to the status Anthropic sends it with', () => {
    expect(new ApiError('overloaded_error', 'Overloaded').status).toBe(529);
    expect(new ApiError('request_too_large', 'too big').status).toBe(413);
    expect(Object.keys(ErrorStatus)).toHaveLength(8);
  });

  it("renders Anthropic's error body, with details only when there is a code", () => {
    expect(new ApiError('not_found_error', 'model: x').toBody('req_1')).toEqual({
      type: 'error',
      error: { type: 'not_found_error', message: 'model: x' },
      request_id: 'req_1',
    });
    const spend = new ApiError('rate_limit_error', 'spent', { errorCode: 'enforced_spend_limit_reached' });
    expect(spend.toBody('req_2').error.details).toEqual({ error_code: 'enforced_spend_limit_reached' });
  });
});

describe('x-should-retry', () => {
  it('says retry for rate limits, internal errors and overload, and not for the rest', () => {
    const retry = (type: ConstructorParameters<typeof ApiError>[0], errorCode?: string) => new ApiError(type, 'x', errorCode ? { errorCode } : {}).shouldRetry;
    expect([retry('rate_limit_error'), retry('api_error'), retry('overloaded_error')]).toEqual([true, true, true]);
    expect([retry('invalid_request_error'), retry('authentication_error'), retry('not_found_error'), retry('request_too_large')]).toEqual([false, false, false, false]);
    expect(retry('rate_limit_error', 'enforced_spend_limit_reached')).toBe(false);
  });
});

describe('ids', () => {
  it('look like the real ones and differ each time', () => {
    expect(newRequestId()).toMatch(/^req_011C[0-9A-Za-z]{20}$/);
    expect(newMessageId()).toMatch(/^msg_011C[0-9A-Za-z]{20}$/);
    expect(newToolUseId()).toMatch(/^toolu_011C[0-9A-Za-z]{20}$/);
    expect(newRequestId()).not.toBe(newRequestId());
  });
});
