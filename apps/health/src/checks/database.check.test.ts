import { describe, expect, it } from 'vitest';
import { describeDatabaseError } from './database.check';

describe('describeDatabaseError', () => {
  it("takes the cause from Prisma's message, not its opening lines", () => {
    const err = new Error("\nInvalid `prisma.$queryRaw()` invocation:\n\n\nRaw query failed. Code: `N/A`. Message: `Can't reach database server at 127.0.0.1:5999`");
    expect(describeDatabaseError(err)).toBe("Can't reach database server at 127.0.0.1:5999");
  });

  it('keeps any other error as its last line', () => {
    expect(describeDatabaseError(new Error('connect ECONNREFUSED 127.0.0.1:5432'))).toBe('connect ECONNREFUSED 127.0.0.1:5432');
    expect(describeDatabaseError('timeout')).toBe('timeout');
  });
});
