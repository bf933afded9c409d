import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type JobProgress, Subject } from '@scenewise/contracts';
import type { AnalysisJob } from '@scenewise/db';
import { createTestDatabase, type TestDatabase } from '@scenewise/db/testing';
import type { MessageBus } from '@scenewise/messaging';
import { createTestBus } from '@scenewise/messaging/testing';
import { createLogger } from '@scenewise/telemetry';
import express from 'express';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../app';
import { errorHandler } from '../http-errors';
import { ProgressEventSchema, SceneEventSchema } from '../openapi';
import { eventRoutes, type EventRoutesDeps } from './events.routes';

const logger = createLogger({ service: 'api-test', level: 'silent' });
let database: TestDatabase;
let bus: MessageBus;
let closeBus: () => Promise<void>;
const servers: Server[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  ({ bus, close: closeBus } = await createTestBus());
});

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  vi.restoreAllMocks();
});

afterAll(async () => {
  await closeBus?.();
  await database?.drop();
});

/** The whole API on a real port (SSE needs a real socket), or just the events router with short timers. */
async function serve(options?: Partial<EventRoutesDeps>): Promise<{ base: string; server: Server }> {
  let app: express.Express;
  if (options) {
    app = express();
    app.use('/api', eventRoutes({ db: database.db, bus, logger, ...options }));
    app.use(errorHandler(logger));
  } else {
    app = createApp({
      db: database.db,
      bus,
      logger,
      config: { limits: { maxUploadBytes: 64 * 1024, maxScenes: 50, maxSceneChars: 5_000 }, jaegerUiUrl: 'http://jaeger.test' },
      ready: () => true,
    });
  }
  const server = app.listen(0);
  await new Promise((resolve) => server.once('listening', resolve));
  servers.push(server);
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

interface SseEvent {
  event: string;
  data: unknown;
}

/** A minimal SSE reader: `next()` gives the next event, or null when the server closed the stream. */
async function openEvents(base: string, jobId: string) {
  const abort = new AbortController();
  const response = await fetch(`${base}/api/jobs/${jobId}/events`, { signal: abort.signal });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const comments: string[] = [];
  let buffer = '';
  const next = async (): Promise<SseEvent | null> => {
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const field = (name: string) => block.split('\n').find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2);
        if (block.startsWith(':')) comments.push(block);
        const data = field('data');
        if (data !== undefined) return { event: field('event') ?? 'message', data: JSON.parse(data) };
        continue;
      }
      const { value, done } = await reader.read();
      if (done) return null;
      buffer += value;
    }
  };
  return { response, next, comments, close: () => abort.abort() };
}

async function createJob(overrides: Partial<AnalysisJob> = {}): Promise<{ job: AnalysisJob; taskIds: string[]; sceneIds: string[] }> {
  const script = await database.db.script.create({
    data: {
      title: 'Events',
      format: 'plain',
      sceneCount: 3,
      scenes: {
        createMany: {
          data: [0, 1, 2].map((position) => ({ position, heading: `INT. ROOM ${position} - DAY`, text: 'A beat.', characters: [], contentHash: `h${position}` })),
        },
      },
    },
    include: { scenes: true },
  });
  const job = await database.db.analysisJob.create({
    data: { scriptId: script.id, mode: 'full', modelRole: 'sceneSummary', status: 'running', totalScenes: 3, startedAt: new Date(), ...overrides },
  });
  const tasks = await Promise.all(
    script.scenes.map((scene) => database.db.sceneTask.create({ data: { jobId: job.id, sceneId: scene.id, position: scene.position, contentHash: scene.contentHash } })),
  );
  return { job, taskIds: tasks.map((t) => t.id), sceneIds: script.scenes.map((s) => s.id) };
}

const progress = (job: AnalysisJob, fields: Partial<JobProgress>): JobProgress => ({
  jobId: job.id,
  status: 'running',
  total: 3,
  succeeded: 0,
  failed: 0,
  cancelled: 0,
  skipped: 0,
  etaSeconds: null,
  at: new Date().toISOString(),
  ...fields,
});

describe('GET /api/jobs/{id}/events', () => {
  it('answers 404 in the usual error shape for unknown and malformed ids', async () => {
    const { base } = await serve();
    const unknown = await fetch(`${base}/api/jobs/00000000-0000-4000-8000-000000000000/events`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: { type: 'not_found', message: 'no job with id "00000000-0000-4000-8000-000000000000"' } });
    expect((await fetch(`${base}/api/jobs/nope/events`)).status).toBe(404);
  });

  it('sends the state and the end at once for a job that has already ended, then closes', async () => {
    const { base } = await serve();
    const { job } = await createJob({ status: 'partially_failed', succeeded: 2, failed: 1, finishedAt: new Date() });
    const events = await openEvents(base, job.id);
    expect(events.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const first = await events.next();
    expect(first).toMatchObject({ event: 'progress', data: { jobId: job.id, status: 'partially_failed', total: 3, succeeded: 2, failed: 1, etaSeconds: 0 } });
    expect(ProgressEventSchema.strict().safeParse(first!.data).success).toBe(true);
    expect(await events.next()).toMatchObject({ event: 'end', data: { status: 'partially_failed' } });
    expect(await events.next()).toBeNull();
  });

  it('gives a late client the current counts, then each scene and the counts as they happen, then the end', async () => {
    const { base } = await serve();
    const { job, taskIds, sceneIds } = await createJob({ succeeded: 1 });
    const events = await openEvents(base, job.id);
    expect(await events.next()).toMatchObject({ event: 'progress', data: { status: 'running', succeeded: 1, failed: 0 } });

    const scene = { taskId: taskIds[1]!, sceneId: sceneIds[1]!, position: 1, outcome: 'failed' as const, errorType: 'overloaded_error' };
    await bus.publish(Subject.jobProgress, progress(job, { succeeded: 1, failed: 1, etaSeconds: 2.5, scene }));
    const sceneEvent = await events.next();
    expect(sceneEvent).toEqual({ event: 'scene', data: { jobId: job.id, ...scene, at: expect.any(String) } });
    expect(SceneEventSchema.strict().safeParse(sceneEvent!.data).success).toBe(true);
    const counted = await events.next();
    expect(counted).toMatchObject({ event: 'progress', data: { succeeded: 1, failed: 1, etaSeconds: 2.5 } });
    expect(counted!.data).not.toHaveProperty('scene');

    // Another job's news, and an out-of-date message for this one, are not sent.
    await bus.publish(Subject.jobProgress, { ...progress(job, { succeeded: 3 }), jobId: '00000000-0000-4000-8000-000000000000' });
    await bus.publish(Subject.jobProgress, progress(job, { succeeded: 1 }));
    const last = { taskId: taskIds[2]!, sceneId: sceneIds[2]!, position: 2, outcome: 'succeeded' as const };
    await bus.publish(Subject.jobProgress, progress(job, { status: 'partially_failed', succeeded: 2, failed: 1, etaSeconds: 0, scene: last }));
    expect(await events.next()).toMatchObject({ event: 'scene', data: { taskId: last.taskId, outcome: 'succeeded' } });
    expect(await events.next()).toMatchObject({ event: 'progress', data: { status: 'partially_failed', succeeded: 2, failed: 1 } });
    expect(await events.next()).toMatchObject({ event: 'end', data: { status: 'partially_failed' } });
    expect(await events.next()).toBeNull();
  });

  it('shares one NATS subscription among all clients and drops it when the last one leaves', async () => {
    const { base } = await serve();
    const unsubscribed = vi.fn();
    const original = bus.subscribe.bind(bus);
    const subscribe = vi.spyOn(bus, 'subscribe').mockImplementation(((subject: typeof Subject.jobProgress, handler: (p: JobProgress) => void) => {
      const unsubscribe = original(subject, handler);
      return () => {
        unsubscribed();
        unsubscribe();
      };
    }) as MessageBus['subscribe']);
    const a = await createJob();
    const b = await createJob();
    const clients = await Promise.all([openEvents(base, a.job.id), openEvents(base, a.job.id), openEvents(base, b.job.id)]);
    for (const client of clients) expect(await client.next()).toMatchObject({ event: 'progress' });
    expect(subscribe).toHaveBeenCalledTimes(1);

    await bus.publish(Subject.jobProgress, progress(a.job, { succeeded: 1 }));
    expect(await clients[0]!.next()).toMatchObject({ data: { jobId: a.job.id, succeeded: 1 } });
    expect(await clients[1]!.next()).toMatchObject({ data: { jobId: a.job.id, succeeded: 1 } });

    for (const client of clients) client.close();
    await vi.waitFor(() => expect(unsubscribed).toHaveBeenCalledTimes(1));
    const again = await openEvents(base, a.job.id);
    expect(await again.next()).toMatchObject({ event: 'progress' });
    expect(subscribe).toHaveBeenCalledTimes(2);
    again.close();
  });

  it('sends heartbeat comments on a quiet stream', async () => {
    const { base } = await serve({ heartbeatMs: 150 });
    const { job } = await createJob();
    const events = await openEvents(base, job.id);
    await events.next();
    const pending = events.next();
    await vi.waitFor(() => expect(events.comments).toContain(': heartbeat'), { timeout: 2_000 });
    events.close();
    await pending.catch(() => undefined);
  });

  it('reads the job again when its progress messages stop, so a lost end still ends the stream', async () => {
    const { base } = await serve({ heartbeatMs: 100, staleMs: 300 });
    const { job } = await createJob();
    const events = await openEvents(base, job.id);
    expect(await events.next()).toMatchObject({ event: 'progress', data: { status: 'running' } });
    await database.db.analysisJob.update({ where: { id: job.id }, data: { status: 'succeeded', succeeded: 3, finishedAt: new Date() } });
    expect(await events.next()).toMatchObject({ event: 'progress', data: { status: 'succeeded', succeeded: 3 } });
    expect(await events.next()).toMatchObject({ event: 'end' });
  });

  it('ends open streams when the server stops listening, so shutdown is not held up', async () => {
    const { base, server } = await serve({ heartbeatMs: 100 });
    const { job } = await createJob();
    const events = await openEvents(base, job.id);
    await events.next();
    const started = Date.now();
    const closed = new Promise((resolve) => server.close(resolve));
    expect(await events.next()).toBeNull();
    await closed;
    // Well inside the service's 15 s shutdown budget (keep-alive alone would hold it for 5 s).
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
