import { type JobProgress, Subject } from '@scenewise/contracts';
import type { AnalysisJob, Database } from '@scenewise/db';
import type { MessageBus } from '@scenewise/messaging';
import type { Logger } from '@scenewise/telemetry';
import { type Response, Router } from 'express';
import { z } from 'zod';
import { notFound } from '../http-errors';

export interface EventRoutesDeps {
  db: Database;
  bus: MessageBus;
  logger: Logger;
  /** A quiet stream gets a comment line this often, so proxies and clients keep it open. @default 15000 */
  heartbeatMs?: number;
  /**
   * A job with no progress message for this long has its row read again: progress is best
   * effort on core NATS, and a lost terminal message must not leave a client waiting forever.
   * @default 30000
   */
  staleMs?: number;
}

export type ProgressEvent = Omit<JobProgress, 'scene'>;
export type SceneEvent = NonNullable<JobProgress['scene']> & { jobId: string; at: string };

const statusRank: Record<JobProgress['status'], number> = {
  queued: 0,
  running: 1,
  succeeded: 2,
  partially_failed: 2,
  failed: 2,
  cancelled: 2,
};
export const isTerminalStatus = (status: JobProgress['status']) => statusRank[status] === 2;
type Counts = Pick<ProgressEvent, 'succeeded' | 'failed' | 'cancelled' | 'skipped'>;
const doneOf = (c: Counts) => c.succeeded + c.failed + c.cancelled + c.skipped;

/** The job row as a progress event, in the shape the orchestrator publishes. */
export function progressOfJob(job: AnalysisJob, now = new Date()): ProgressEvent {
  const counts = { total: job.totalScenes, succeeded: job.succeeded, failed: job.failed, cancelled: job.cancelled, skipped: job.skipped };
  const done = doneOf(counts);
  const finished = done - job.skipped;
  let etaSeconds: number | null = null;
  if (job.finishedAt || (job.totalScenes > 0 && done >= job.totalScenes)) etaSeconds = 0;
  else if (job.startedAt && finished > 0) {
    const elapsedMs = now.getTime() - job.startedAt.getTime();
    etaSeconds = Math.round(((elapsedMs / finished) * (job.totalScenes - done)) / 100) / 10;
  }
  return { jobId: job.id, status: job.status, ...counts, etaSeconds, at: now.toISOString() };
}

/** One client's stream: what it was sent, so stale or repeated news is never sent twice. */
class JobStream {
  /** Messages that arrive while the current state is read from the database. */
  pending: JobProgress[] | null = [];
  private rank = -1;
  private done = -1;
  private readonly scenesSent = new Set<string>();
  lastWriteAt = Date.now();
  closed = false;

  constructor(
    readonly jobId: string,
    private readonly res: Response,
    private readonly onClose: (stream: JobStream) => void,
  ) {}

  /** The server stopped listening (shutdown): end the stream so `server.close()` can finish. */
  get serverStopped(): boolean {
    const server = (this.res.socket as { server?: { listening?: boolean } } | null)?.server;
    return server?.listening === false;
  }

  deliver(message: JobProgress): void {
    if (this.closed) return;
    if (this.pending) {
      this.pending.push(message);
      return;
    }
    const { scene, ...progress } = message;
    if (scene && !this.scenesSent.has(scene.taskId)) {
      this.scenesSent.add(scene.taskId);
      this.send('scene', { jobId: message.jobId, ...scene, at: message.at } satisfies SceneEvent);
    }
    // Messages can arrive out of order (two orchestrators, or the snapshot racing NATS): only
    // newer states go out, so a client's counts never go backwards.
    const rank = statusRank[progress.status];
    const done = doneOf(progress);
    if (rank < this.rank || (rank === this.rank && done <= this.done)) return;
    this.rank = rank;
    this.done = done;
    this.send('progress', progress);
    if (isTerminalStatus(progress.status)) {
      this.send('end', progress);
      this.close();
    }
  }

  /** Sends the current state, then whatever arrived while it was being read. */
  start(current: ProgressEvent): void {
    const buffered = this.pending ?? [];
    this.pending = null;
    this.deliver(current);
    for (const message of buffered) this.deliver(message);
  }

  heartbeat(): void {
    if (!this.closed) this.write(': heartbeat\n\n');
  }

  /** Stops delivering to this stream, leaving the response to the caller. */
  detach(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose(this);
  }

  /** Ends the response; `dropConnection` also closes the socket, which keep-alive would hold open. */
  close(dropConnection = false): void {
    this.detach();
    if (this.res.writableEnded) return;
    const socket = this.res.socket;
    this.res.end(dropConnection ? () => socket?.destroy() : undefined);
  }

  private send(event: 'progress' | 'scene' | 'end', data: unknown): void {
    this.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  private write(chunk: string): void {
    if (this.res.writableEnded || this.res.destroyed) return;
    this.res.write(chunk);
    this.lastWriteAt = Date.now();
    // A client that stopped reading gets dropped rather than buffered without bound.
    if (this.res.writableLength > 1_000_000) this.close();
  }
}

/**
 * One core-NATS subscription to `job.progress` for the whole process, fanned out to the
 * streams open for each job. It exists only while a stream is open.
 */
class JobEventHub {
  private readonly streams = new Map<string, Set<JobStream>>();
  /** When each watched job last had a progress message (or a fresh read of its row). */
  private readonly lastNews = new Map<string, number>();
  private subscription?: { unsubscribe: () => void; ready: Promise<void>; ticker: NodeJS.Timeout };

  constructor(private readonly deps: Required<Omit<EventRoutesDeps, 'logger'>> & { logger: Logger }) {}

  /** Registers the stream; resolves once the subscription is active on the server. */
  async add(stream: JobStream): Promise<void> {
    const forJob = this.streams.get(stream.jobId) ?? new Set();
    forJob.add(stream);
    this.streams.set(stream.jobId, forJob);
    this.lastNews.set(stream.jobId, Date.now());
    this.subscription ??= this.subscribe();
    await this.subscription.ready;
  }

  remove(stream: JobStream): void {
    const forJob = this.streams.get(stream.jobId);
    forJob?.delete(stream);
    if (forJob?.size === 0) {
      this.streams.delete(stream.jobId);
      this.lastNews.delete(stream.jobId);
    }
    if (this.streams.size === 0 && this.subscription) {
      this.subscription.unsubscribe();
      clearInterval(this.subscription.ticker);
      this.subscription = undefined;
    }
  }

  private subscribe() {
    const unsubscribe = this.deps.bus.subscribe(Subject.jobProgress, (progress) => {
      const forJob = this.streams.get(progress.jobId);
      if (!forJob) return;
      this.lastNews.set(progress.jobId, Date.now());
      for (const stream of forJob) stream.deliver(progress);
    });
    const ticker = setInterval(() => this.tick(), Math.min(1_000, this.deps.heartbeatMs));
    ticker.unref();
    // flush() round-trips to the server, so the subscription is in place before any state is read.
    const ready = this.deps.bus.nc.flush().catch((err: unknown) => this.deps.logger.warn({ err }, 'job.progress subscription not confirmed'));
    return { unsubscribe, ready, ticker };
  }

  private tick(): void {
    const now = Date.now();
    for (const [jobId, forJob] of this.streams) {
      for (const stream of forJob) {
        if (stream.serverStopped) stream.close(true);
        else if (now - stream.lastWriteAt >= this.deps.heartbeatMs) stream.heartbeat();
      }
      if (now - (this.lastNews.get(jobId) ?? now) >= this.deps.staleMs) {
        this.lastNews.set(jobId, now);
        void this.reread(jobId);
      }
    }
  }

  private async reread(jobId: string): Promise<void> {
    try {
      const job = await this.deps.db.analysisJob.findUnique({ where: { id: jobId } });
      if (!job) return;
      for (const stream of this.streams.get(jobId) ?? []) stream.deliver(progressOfJob(job));
    } catch (err) {
      this.deps.logger.warn({ err, jobId }, 'could not re-read a watched job');
    }
  }
}

/** `GET /jobs/{id}/events`: a job's progress as Server-Sent Events, from its current state to its end. */
export function eventRoutes(deps: EventRoutesDeps): Router {
  const router = Router();
  const hub = new JobEventHub({ heartbeatMs: 15_000, staleMs: 30_000, ...deps });

  router.get('/jobs/:id/events', async (req, res) => {
    const id = req.params.id;
    if (!z.uuid().safeParse(id).success) throw notFound('job', id);

    // Listen before reading the row, so nothing published in between is missed.
    const stream = new JobStream(id, res, (s) => hub.remove(s));
    res.on('close', () => stream.close());
    await hub.add(stream);
    let job: AnalysisJob | null;
    try {
      job = await deps.db.analysisJob.findUnique({ where: { id } });
    } catch (err) {
      stream.detach();
      throw err;
    }
    if (!job) {
      stream.detach();
      throw notFound('job', id);
    }
    if (stream.closed) return;

    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // nginx would otherwise buffer the stream.
      'x-accel-buffering': 'no',
    });
    res.socket?.setNoDelay(true);
    res.write('retry: 3000\n\n');
    deps.logger.debug({ jobId: id }, 'job event stream opened');
    stream.start(progressOfJob(job));
  });

  return router;
}
