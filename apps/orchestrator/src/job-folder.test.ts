import { createLogger } from '@scenewise/telemetry';
import type { AnalysisJob } from '@scenewise/db';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { JobFolder } from './job-folder';

const logger = createLogger({ service: 'test', level: 'silent' });
const scene = (position: number) => ({ taskId: `t${position}`, sceneId: `s${position}`, position, outcome: 'succeeded' as const });

afterEach(() => {
  vi.useRealTimers();
});

describe('JobFolder', () => {
  it('collapses a burst of requests into the running fold and one more', async () => {
    let folds = 0;
    let release: () => void = () => undefined;
    const folder = new JobFolder(
      async () => {
        folds++;
        await new Promise<void>((r) => (release = r));
        return { job: { id: 'j' } as AnalysisJob, ended: false };
      },
      async () => undefined,
      logger,
    );
    const first = folder.request('j');
    await new Promise((r) => setTimeout(r, 0));
    const burst = Array.from({ length: 100 }, () => folder.request('j'));
    release();
    await new Promise((r) => setTimeout(r, 0));
    release();
    await Promise.all([first, ...burst]);
    expect(folds).toBe(2);
  });

  it('folds different jobs independently and survives a failing fold', async () => {
    const folded: string[] = [];
    const folder = new JobFolder(
      async (jobId) => {
        if (jobId === 'bad') throw new Error('database away');
        return { job: { id: jobId } as AnalysisJob, ended: true };
      },
      async (job) => void folded.push(job.id),
      logger,
    );
    await Promise.all([folder.request('a'), folder.request('bad'), folder.request('b')]);
    await folder.idle();
    expect(folded.sort()).toEqual(['a', 'b']);
  });

  it('hands every scene outcome to exactly one fold', async () => {
    const seen: number[] = [];
    const folder = new JobFolder(
      async () => ({ job: { id: 'j' } as AnalysisJob, ended: false }),
      async (_job, _ended, scenes) => void seen.push(...scenes.map((s) => s.position)),
      logger,
    );
    await Promise.all([0, 1, 2, 3].map((p) => folder.request('j', scene(p))));
    await folder.request('j', scene(4));
    expect(seen.sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('starts folds of one job at least minIntervalMs apart, each taking in every request since the last', async () => {
    vi.useFakeTimers();
    const folds: Array<{ at: number; positions: number[] }> = [];
    const folder = new JobFolder(
      async () => ({ job: { id: 'j' } as AnalysisJob, ended: false }),
      async (_job, _ended, scenes) => void folds.push({ at: Date.now(), positions: scenes.map((s) => s.position) }),
      logger,
      { minIntervalMs: 50 },
    );
    const start = Date.now();
    let firstDone = false;
    void folder.request('j', scene(0)).then(() => (firstDone = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(firstDone).toBe(true);

    await vi.advanceTimersByTimeAsync(10);
    const second = folder.request('j', scene(1));
    await vi.advanceTimersByTimeAsync(10);
    void folder.request('j', scene(2));
    await vi.advanceTimersByTimeAsync(29);
    expect(folds).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await expect(second).resolves.toEqual({ id: 'j' });
    expect(folds.map((f) => ({ ...f, at: f.at - start }))).toEqual([
      { at: 0, positions: [0] },
      { at: 50, positions: [1, 2] },
    ]);

    // Once a quiet interval has passed, a request is folded at once.
    await vi.advanceTimersByTimeAsync(200);
    void folder.request('j', scene(3));
    await vi.advanceTimersByTimeAsync(0);
    expect(folds.at(-1)).toEqual({ at: Date.now(), positions: [3] });
    await vi.advanceTimersByTimeAsync(50);
    await folder.idle();
  });
});
