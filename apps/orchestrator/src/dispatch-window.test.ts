import { describe, expect, it } from 'vitest';
import { dispatchWindow, tasksToDispatch } from './dispatch-window';

describe('dispatchWindow', () => {
  it('tops up in quarters of the window', () => {
    expect(dispatchWindow(256)).toEqual({ size: 256, batch: 64 });
    expect(dispatchWindow(10)).toEqual({ size: 10, batch: 3 });
    expect(dispatchWindow(1)).toEqual({ size: 1, batch: 1 });
  });

  it('refuses a window that holds nothing', () => {
    expect(() => dispatchWindow(0)).toThrow(RangeError);
    expect(() => dispatchWindow(2.5)).toThrow(RangeError);
  });
});

describe('tasksToDispatch', () => {
  const window = dispatchWindow(256);

  it('publishes a normal job all at once', () => {
    expect(tasksToDispatch({ waiting: 0, undispatched: 200 }, window)).toBe(200);
    expect(tasksToDispatch({ waiting: 0, undispatched: 256 }, window)).toBe(256);
  });

  it('publishes a big job one window at a time', () => {
    expect(tasksToDispatch({ waiting: 0, undispatched: 5_000 }, window)).toBe(256);
  });

  it('tops up to the full window once a batch fits', () => {
    expect(tasksToDispatch({ waiting: 192, undispatched: 4_000 }, window)).toBe(64);
    expect(tasksToDispatch({ waiting: 10, undispatched: 4_000 }, window)).toBe(246);
  });

  it('waits while less than a batch fits, so results do not each cost a publish', () => {
    expect(tasksToDispatch({ waiting: 193, undispatched: 4_000 }, window)).toBe(0);
    expect(tasksToDispatch({ waiting: 255, undispatched: 4_000 }, window)).toBe(0);
  });

  it("publishes a job's last few tasks even when they are less than a batch", () => {
    expect(tasksToDispatch({ waiting: 250, undispatched: 5 }, window)).toBe(5);
    expect(tasksToDispatch({ waiting: 253, undispatched: 5 }, window)).toBe(0);
  });

  it('does nothing with a full window or nothing left to publish', () => {
    expect(tasksToDispatch({ waiting: 256, undispatched: 100 }, window)).toBe(0);
    expect(tasksToDispatch({ waiting: 300, undispatched: 100 }, window)).toBe(0);
    expect(tasksToDispatch({ waiting: 0, undispatched: 0 }, window)).toBe(0);
  });
});
