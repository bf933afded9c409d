import { createLogger } from '@scenewise/telemetry';
import type { AnalysisJob } from '@scenewise/db';
import { describe, expect, it } from 'vitest';
import { JobFolder } from './job-folder';

const logger = createLogger({ service: 'test', level: 'silent' });

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
    const scene = (position: number) => ({ taskId: `t${position}`, sceneId: `s${position}`, position, outcome: 'succeeded' as const });
    await Promise.all([0, 1, 2, 3].map((p) => folder.request('j', scene(p))));
    await folder.request('j', scene(4));
    expect(seen.sort()).toEqual([0, 1, 2, 3, 4]);
  });
});
