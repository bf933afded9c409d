import { describe, expect, it } from 'vitest';
import { decideTerminalStatus, estimateEtaSeconds } from './job-status';

const counts = (succeeded: number, failed: number, cancelled = 0, skipped = 0) => ({
  total: succeeded + failed + cancelled + skipped,
  succeeded,
  failed,
  cancelled,
  skipped,
});

describe('decideTerminalStatus', () => {
  it('succeeds only when no scene failed or was cancelled', () => {
    expect(decideTerminalStatus(counts(40, 0))).toBe('succeeded');
    expect(decideTerminalStatus(counts(37, 0, 0, 3))).toBe('succeeded');
    expect(decideTerminalStatus(counts(0, 0, 0, 40))).toBe('succeeded');
  });

  it('is partially_failed with some summaries and some failures, failed with none', () => {
    expect(decideTerminalStatus(counts(39, 1))).toBe('partially_failed');
    expect(decideTerminalStatus(counts(10, 0, 30))).toBe('partially_failed');
    expect(decideTerminalStatus(counts(0, 40))).toBe('failed');
    expect(decideTerminalStatus(counts(0, 1, 39))).toBe('failed');
  });
});

describe('estimateEtaSeconds', () => {
  it('extrapolates from the pace so far', () => {
    expect(estimateEtaSeconds({ total: 40, succeeded: 10, failed: 0, cancelled: 0, skipped: 0 }, 5_000)).toBe(15);
  });
  it('is unknown before the first scene and zero at the end', () => {
    expect(estimateEtaSeconds({ total: 40, succeeded: 0, failed: 0, cancelled: 0, skipped: 0 }, 5_000)).toBeNull();
    expect(estimateEtaSeconds(counts(40, 0), 5_000)).toBe(0);
  });
});
