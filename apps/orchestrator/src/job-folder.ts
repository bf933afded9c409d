import type { JobProgress } from '@scenewise/contracts';
import type { AnalysisJob } from '@scenewise/db';

export type SceneOutcome = NonNullable<JobProgress['scene']>;
import type { Logger } from '@scenewise/telemetry';

type Fold = (jobId: string) => Promise<{ job: AnalysisJob; ended: boolean }>;

interface Entry {
  again: boolean;
  scenes: SceneOutcome[];
  done: Promise<AnalysisJob | undefined>;
}

/**
 * Coalesces folds per job: while one fold of a job runs, any number of further requests
 * collapse into a single fold after it. A burst of 2,000 results costs a handful of folds,
 * not 2,000 turns on the job row's lock, and the last fold always sees the last result.
 */
export class JobFolder {
  private readonly jobs = new Map<string, Entry>();

  constructor(
    private readonly fold: Fold,
    /** Called after each fold with the scene outcomes it took in (for progress events). */
    private readonly onFolded: (job: AnalysisJob, ended: boolean, scenes: SceneOutcome[]) => Promise<void>,
    private readonly logger: Logger,
  ) {}

  /**
   * Folds the job soon; resolves with the job as folded by a fold that started after this
   * call (undefined if that fold failed).
   */
  request(jobId: string, scene?: SceneOutcome): Promise<AnalysisJob | undefined> {
    const pending = this.jobs.get(jobId);
    if (pending) {
      pending.again = true;
      if (scene) pending.scenes.push(scene);
      return pending.done;
    }
    const entry: Entry = { again: false, scenes: scene ? [scene] : [], done: Promise.resolve(undefined) };
    entry.done = this.run(jobId, entry);
    this.jobs.set(jobId, entry);
    return entry.done;
  }

  /** Waits until no fold is running (graceful shutdown). */
  async idle(): Promise<void> {
    while (this.jobs.size) await Promise.allSettled([...this.jobs.values()].map((e) => e.done));
  }

  private async run(jobId: string, entry: Entry): Promise<AnalysisJob | undefined> {
    // Let the requests of this tick join the first fold.
    await Promise.resolve();
    let latest: AnalysisJob | undefined;
    try {
      do {
        entry.again = false;
        const scenes = entry.scenes.splice(0);
        try {
          const { job, ended } = await this.fold(jobId);
          latest = job;
          await this.onFolded(job, ended, scenes);
        } catch (err) {
          // The task outcomes are stored; the reconciler refolds a job left unfolded.
          latest = undefined;
          this.logger.warn({ err, jobId }, 'fold failed');
        }
      } while (entry.again);
    } finally {
      this.jobs.delete(jobId);
    }
    return latest;
  }
}
