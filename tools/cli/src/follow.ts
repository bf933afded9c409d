import { type ApiClient, isTerminal, type JobView } from './api-client';
import { estimateEtaSeconds, type ProgressSnapshot, progressLine, type Style } from './format';
import { readServerSentEvents } from './sse';

export interface ProgressUpdate extends ProgressSnapshot {
  etaSeconds: number | null;
  elapsedMs: number;
}

export interface SceneUpdate {
  position: number;
  outcome: 'succeeded' | 'failed' | 'cancelled';
  errorType?: string;
}

export interface FollowHandlers {
  progress(update: ProgressUpdate): void;
  scene(update: SceneUpdate): void;
  notice(message: string): void;
}

export interface FollowOptions {
  /** Poll GET /api/jobs/{id} instead of reading the event stream. */
  poll: boolean;
  /** @default 1000 */
  pollIntervalMs?: number;
  timeoutMs?: number;
  handlers: FollowHandlers;
}

export class FollowTimeoutError extends Error {}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });

/**
 * Follows a job until it ends and returns its final view: live from the API's event stream,
 * or by polling when the stream is unavailable, breaks off, or `poll` is set.
 */
export async function followJob(client: ApiClient, jobId: string, options: FollowOptions): Promise<JobView> {
  const abort = new AbortController();
  const timer = options.timeoutMs
    ? setTimeout(() => abort.abort(new FollowTimeoutError(`job ${jobId} had not ended after ${options.timeoutMs! / 1_000}s`)), options.timeoutMs)
    : undefined;
  const { handlers } = options;
  try {
    const first = await client.job(jobId, abort.signal);
    // The server's own measure, advanced by our clock: no skew between the two.
    const base = { ms: first.durationMs ?? 0, at: Date.now() };
    const elapsedMs = () => base.ms + Date.now() - base.at;
    const fromView = (job: JobView): ProgressUpdate => {
      base.ms = job.durationMs ?? base.ms;
      base.at = Date.now();
      return { status: job.status, ...job.counts, etaSeconds: estimateEtaSeconds(job.counts, job.durationMs ?? 0), elapsedMs: elapsedMs() };
    };
    handlers.progress(fromView(first));
    if (isTerminal(first.status)) return first;

    const ended = !options.poll && (await followEvents(client, jobId, abort.signal, handlers, elapsedMs));
    if (!ended) {
      for (;;) {
        await sleep(options.pollIntervalMs ?? 1_000, abort.signal);
        const job = await client.job(jobId, abort.signal);
        handlers.progress(fromView(job));
        if (isTerminal(job.status)) break;
      }
    }
    return await client.job(jobId, abort.signal);
  } catch (err) {
    if (abort.signal.aborted) throw abort.signal.reason;
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/** Reads the job's event stream; true once it said `end`, false when polling has to take over. */
async function followEvents(
  client: ApiClient,
  jobId: string,
  signal: AbortSignal,
  handlers: FollowHandlers,
  elapsedMs: () => number,
): Promise<boolean> {
  let response: Response;
  try {
    response = await client.openEvents(jobId, signal);
  } catch (err) {
    if (signal.aborted) throw err;
    handlers.notice(`live events unavailable (${(err as Error).message}); polling instead`);
    return false;
  }
  if (!response.ok || !response.body || !response.headers.get('content-type')?.startsWith('text/event-stream')) {
    await response.body?.cancel().catch(() => undefined);
    handlers.notice(`live events unavailable (HTTP ${response.status}); polling instead`);
    return false;
  }
  try {
    for await (const message of readServerSentEvents(response.body)) {
      const data = JSON.parse(message.data);
      if (message.event === 'progress') handlers.progress({ ...data, elapsedMs: elapsedMs() });
      else if (message.event === 'scene') handlers.scene(data);
      else if (message.event === 'end') return true;
    }
  } catch (err) {
    if (signal.aborted) throw err;
  } finally {
    await response.body.cancel().catch(() => undefined);
  }
  handlers.notice('the live event stream broke off; polling instead');
  return false;
}

interface Output {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

/**
 * The progress bar on a terminal (redrawn in place, ticking every second), or one line per
 * change elsewhere. Failed and cancelled scenes are listed above it as they happen.
 */
export class ProgressView implements FollowHandlers {
  private last?: { update: ProgressUpdate; at: number };
  private printed = '';
  private readonly ticker?: NodeJS.Timeout;

  constructor(
    private readonly out: Output,
    private readonly style: Style,
  ) {
    if (out.isTTY) {
      this.ticker = setInterval(() => this.render(), 1_000);
      this.ticker.unref();
    }
  }

  progress(update: ProgressUpdate): void {
    this.last = { update, at: Date.now() };
    this.render();
  }

  scene(update: SceneUpdate): void {
    if (update.outcome === 'succeeded') return;
    const mark = update.outcome === 'failed' ? this.style.red('✖') : this.style.yellow('!');
    this.above(`${mark} scene ${update.position + 1} ${update.outcome}${update.errorType ? `: ${update.errorType}` : ''}`);
  }

  notice(message: string): void {
    this.above(this.style.dim(message));
  }

  /** Leaves the last line on screen and stops ticking. */
  finish(): void {
    clearInterval(this.ticker);
    if (this.out.isTTY && this.printed) this.out.write('\n');
    this.printed = '';
  }

  private line(): string | undefined {
    if (!this.last) return undefined;
    const { update, at } = this.last;
    const running = !isTerminal(update.status) && update.status !== 'queued';
    const since = running ? Date.now() - at : 0;
    const eta = update.etaSeconds === null ? null : Math.max(0, update.etaSeconds - since / 1_000);
    return progressLine(update, update.elapsedMs + since, eta, this.style);
  }

  private render(): void {
    const line = this.line();
    if (line === undefined) return;
    if (this.out.isTTY) {
      this.out.write(`\r\x1b[2K${line}`);
      this.printed = line;
    } else if (stripTime(line) !== stripTime(this.printed)) {
      // Off a terminal, a new line only when the counts or the status changed.
      this.out.write(`${line}\n`);
      this.printed = line;
    }
  }

  private above(text: string): void {
    if (this.out.isTTY && this.printed) this.out.write(`\r\x1b[2K${text}\n`);
    else this.out.write(`${text}\n`);
    if (this.out.isTTY) this.render();
  }
}

const stripTime = (line: string) => line.replace(/ · [^·]*elapsed/, '').replace(/ · ETA [^·]*/, '');
