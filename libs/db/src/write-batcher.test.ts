import { afterEach, describe, expect, it, vi } from 'vitest';
import { WriteBatcher } from './write-batcher';

afterEach(() => {
  vi.useRealTimers();
});

/** A write that records each batch and doubles every item. */
function recordingWrite() {
  const batches: number[][] = [];
  const write = async (items: number[]) => {
    batches.push(items);
    return items.map((n) => n * 2);
  };
  return { batches, write };
}

describe('WriteBatcher', () => {
  it('writes a full batch at once, without waiting for the delay', async () => {
    const { batches, write } = recordingWrite();
    const batcher = new WriteBatcher(write, { maxItems: 3, maxDelayMs: 60_000 });

    const results = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => batcher.add(n)));

    expect(results).toEqual([2, 4, 6, 8, 10, 12]);
    expect(batches).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it('writes a partial batch once the delay after its first item has passed', async () => {
    vi.useFakeTimers();
    const { batches, write } = recordingWrite();
    const batcher = new WriteBatcher(write, { maxItems: 100, maxDelayMs: 5 });

    const first = batcher.add(1);
    await vi.advanceTimersByTimeAsync(3);
    const second = batcher.add(2);
    expect(batches).toEqual([]);
    await vi.advanceTimersByTimeAsync(2);

    expect(batches).toEqual([[1, 2]]);
    await expect(Promise.all([first, second])).resolves.toEqual([2, 4]);
    // The next item starts a new batch and a new delay.
    const third = batcher.add(3);
    await vi.advanceTimersByTimeAsync(5);
    await expect(third).resolves.toBe(6);
    expect(batches).toEqual([[1, 2], [3]]);
  });

  it('fails every item of a batch whose write failed, and only those', async () => {
    let calls = 0;
    const batcher = new WriteBatcher(
      async (items: number[]) => {
        if (calls++ === 0) throw new Error('database away');
        return items;
      },
      { maxItems: 2, maxDelayMs: 60_000 },
    );

    const outcomes = await Promise.allSettled([1, 2, 3, 4].map((n) => batcher.add(n)));

    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'fulfilled', 'fulfilled']);
    expect((outcomes[0] as PromiseRejectedResult).reason).toEqual(new Error('database away'));
  });

  it('fails the batch when the write does not answer for every item', async () => {
    const batcher = new WriteBatcher(async () => [true], { maxItems: 2, maxDelayMs: 60_000 });
    const outcomes = await Promise.allSettled([batcher.add(1), batcher.add(2)]);
    expect(outcomes.every((o) => o.status === 'rejected')).toBe(true);
  });

  it('writes what is waiting on idle() and resolves once it is written', async () => {
    const { batches, write } = recordingWrite();
    const batcher = new WriteBatcher(write, { maxItems: 100, maxDelayMs: 60_000 });
    const pending = batcher.add(7);

    await batcher.idle();

    expect(batches).toEqual([[7]]);
    await expect(pending).resolves.toBe(14);
  });

  it('refuses a batch of no items', () => {
    expect(() => new WriteBatcher(async (items: number[]) => items, { maxItems: 0, maxDelayMs: 1 })).toThrow(RangeError);
  });
});
