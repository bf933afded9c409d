import type { JobProgress } from '@scenewise/contracts';
import type { AnalysisJob } from '@scenewise/db';
import type { Logger } from '@scenewise/telemetry';

export type SceneOutcome = NonNullable<JobProgress['scene']>;

type Fold = (jobId: string) => Promise<{ job: AnalysisJob; ended: boolean }>;

/** Requests waiting for the next fold of their job. */
interface NextFold {
  scenes: SceneOutcome[];
  done: Promise<AnalysisJob | undefined>;
  settle(job: AnalysisJob | undefined): void;
}

interface Entry {
  next: NextFold | undefined;
  running: Promise<void>;
}

export interface JobFolderOptions {
  /**
   * Folds of one job start at least this far apart: while results stream in, each fold takes
   * in all that arrived since the last, however fast they come. @default 0
   */
  minIntervalMs?: number;
}

/**
 * Coalesces folds per job: while one fold of a job runs (or, with `minIntervalMs`, until the
 * next may start), any number of further requests collapse into a single fold after it. A
 * burst of 2,000 results costs a handful of folds, not 2,000 turns on the job row's lock, and
 * the last fold always sees the last result.
 */
export class JobFolder {
  private readonly jobs = new Map<string, Entry>();
  private readonly minIntervalMs: number;

  constructor(
    private readonly fold: Fold,
    /** Called after each fold with the scene outcomes it took in (for progress events). */
    private readonly onFolded: (job: AnalysisJob, ended: boolean, scenes: SceneOutcome[]) => Promise<void>,
    private readonly logger: Logger,
    options: JobFolderOptions = {},
  ) {
    this.minIntervalMs = options.minIntervalMs ?? 0;
  }

  /**
   * Folds the job soon; resolves with the job as folded by a fold that started after this
   * call (undefined if that fold failed).
   */
  request(jobId: string, scene?: SceneOutcome): Promise<AnalysisJob | undefined> {
    let entry = this.jobs.get(jobId);
    if (!entry) {
      const created: Entry = { next: undefined, running: Promise.resolve() };
      created.running = this.run(jobId, created);
      this.jobs.set(jobId, created);
      entry = created;
    }
    entry.next ??= nextFold();
    if (scene) entry.next.scenes.push(scene);
    return entry.next.done;
  }

  /** Waits until no fold is running or due (graceful shutdown). */
  async idle(): Promise<void> {
    while (this.jobs.size) await Promise.allSettled([...this.jobs.values()].map((e) => e.running));
  }

  private async run(jobId: string, entry: Entry): Promise<void> {
    // Let the requests of this tick join the first fold.
    await Promise.resolve();
    try {
      while (entry.next) {
        const requests = entry.next;
        entry.next = undefined;
        const started = Date.now();
        let folded: AnalysisJob | undefined;
        try {
          const { job, ended } = await this.fold(jobId);
          await this.onFolded(job, ended, requests.scenes);
          folded = job;
        } catch (err) {
          // The task outcomes are stored; the reconciler refolds a job left unfolded.
          this.logger.warn({ err, jobId }, 'fold failed');
        }
        requests.settle(folded);
        const wait = started + this.minIntervalMs - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
    } finally {
      this.jobs.delete(jobId);
    }
  }
}

function nextFold(): NextFold {
  let settle: (job: AnalysisJob | undefined) => void = () => undefined;
  const done = new Promise<AnalysisJob | undefined>((resolve) => (settle = resolve));
  return { scenes: [], done, settle };
}
