import { afterEach, describe, expect, it, vi } from 'vitest';
import { createStyle } from './format';
import { ProgressView, type ProgressUpdate } from './follow';

const plain = createStyle(false);
const update = (fields: Partial<ProgressUpdate> = {}): ProgressUpdate => ({
  status: 'running',
  total: 4,
  succeeded: 1,
  failed: 0,
  cancelled: 0,
  skipped: 0,
  etaSeconds: 6,
  elapsedMs: 2_000,
  ...fields,
});

function output(isTTY: boolean) {
  const chunks: string[] = [];
  return { isTTY, chunks, write: (chunk: string) => chunks.push(chunk), text: () => chunks.join('') };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('ProgressView off a terminal', () => {
  it('prints a line only when the counts or the status change', () => {
    const out = output(false);
    const view = new ProgressView(out, plain);
    view.progress(update());
    view.progress(update({ elapsedMs: 3_000, etaSeconds: 5 }));
    view.progress(update({ succeeded: 2, elapsedMs: 4_000 }));
    view.finish();
    expect(out.chunks).toEqual([
      '[██████░░░░░░░░░░░░░░░░░░] 1/4 done · 0 failed · 2s elapsed · ETA 6s · running\n',
      '[████████████░░░░░░░░░░░░] 2/4 done · 0 failed · 4s elapsed · ETA 6s · running\n',
    ]);
  });

  it('lists failed and cancelled scenes, not the ones that succeeded', () => {
    const out = output(false);
    const view = new ProgressView(out, plain);
    view.scene({ position: 0, outcome: 'succeeded' });
    view.scene({ position: 2, outcome: 'failed', errorType: 'overloaded_error' });
    view.scene({ position: 3, outcome: 'cancelled' });
    view.notice('polling instead');
    expect(out.text()).toBe('✖ scene 3 failed: overloaded_error\n! scene 4 cancelled\npolling instead\n');
  });
});

describe('ProgressView on a terminal', () => {
  it('redraws one line in place, ticking the clock and counting the ETA down between updates', () => {
    vi.useFakeTimers();
    const out = output(true);
    const view = new ProgressView(out, plain);
    view.progress(update());
    vi.advanceTimersByTime(2_000);
    expect(out.chunks.at(-1)).toBe('\r\x1b[2K[██████░░░░░░░░░░░░░░░░░░] 1/4 done · 0 failed · 4s elapsed · ETA 4s · running');
    expect(out.text()).not.toContain('\n');

    view.scene({ position: 1, outcome: 'failed' });
    expect(out.chunks.slice(-2)).toEqual([
      '\r\x1b[2K✖ scene 2 failed\n',
      '\r\x1b[2K[██████░░░░░░░░░░░░░░░░░░] 1/4 done · 0 failed · 4s elapsed · ETA 4s · running',
    ]);

    view.progress(update({ status: 'succeeded', succeeded: 4, etaSeconds: 0, elapsedMs: 5_000 }));
    view.finish();
    const written = out.chunks.length;
    vi.advanceTimersByTime(5_000);
    expect(out.chunks.length).toBe(written);
    expect(out.text().endsWith('4/4 done · 0 failed · 5s elapsed · succeeded\n')).toBe(true);
  });
});
