import { describe, expect, it } from 'vitest';
import { isScreenplayError, ScreenplayError } from './errors';

describe('ScreenplayError', () => {
  it('carries a code, a message and details, and is an Error', () => {
    const err = new ScreenplayError('too_many_scenes', 'the script has 3 scenes; the limit is 2', { found: 3, limit: 2 });
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('ScreenplayError');
    expect(err.code).toBe('too_many_scenes');
    expect(err.details).toEqual({ found: 3, limit: 2 });
    expect(isScreenplayError(err)).toBe(true);
    expect(isScreenplayError(new Error('other'))).toBe(false);
  });
});
